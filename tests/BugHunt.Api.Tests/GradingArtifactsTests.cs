using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>An idle grader prepares what assessments will need, once, and keeps it for every grader.</summary>
[Collection(ServerCollection.Name)]
public sealed class GradingArtifactsTests(BugHuntServer server)
{
    [EndToEndFact]
    public async Task Preparing_leaves_every_used_version_with_its_probes_stored_and_every_seed_observed()
    {
        var ct = CancellationToken.None;
        await server.CreateAssessmentAsync();
        var challenges = new ChallengeStore(server.Db, TimeProvider.System);
        using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { WarmPoolSize = 0, GraderId = "artifacts-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);
        var artifacts = new GradingArtifacts(sandbox, challenges, NullLogger<GradingArtifacts>.Instance, TimeProvider.System);

        // The newest assessment's versions come first: this one's, unless a grader prepared it already.
        await artifacts.PrepareNextAsync(ct);

        Assert.DoesNotContain(server.AttentionVersion, await challenges.UnpreparedVersionsAsync(GradingPlan.HiddenSeedPoolSize, await sandbox.ImageIdAsync(ct), 1000, ct));
        var version = (await challenges.GetAsync(server.AttentionVersion, ct))!;
        var stored = await challenges.GetProbeBuildAsync(version.ContentHash, await sandbox.ImageIdAsync(ct), ct);
        Assert.NotNull(stored);
        Assert.Equal(version.Challenge.Probes.Select(p => p.Id).Order(), stored.Keys.Order());
        foreach (var seed in GradingPlan.HiddenSeeds(version.Challenge))
        {
            var reference = await artifacts.ReferenceAsync(version, stored, seed, ct);
            Assert.Null(reference.Error);
            Assert.Equal(version.Challenge.Probes.Select(p => p.Id).Order(), reference.Probes!.Keys.Order());
            Assert.NotNull(await challenges.GetReferenceRunAsync(version.Id, seed, ct));
        }
    }
}
