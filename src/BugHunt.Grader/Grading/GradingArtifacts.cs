using System.Collections.Concurrent;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;

namespace BugHunt.Grader.Grading;

/// <summary>The reference observations of a version for one hidden seed, or why they could not be computed.</summary>
public sealed record ReferenceResult(IReadOnlyDictionary<string, ProbeReport>? Probes, string? Error);

/// <summary>
/// The one owner, per grader process, of what grading a challenge version needs besides the
/// submission: its compiled probes (<see cref="ProbeBuilds"/>, kept in the database per sandbox
/// image) and the reference observations of each hidden seed (computed once in a sandbox, kept in
/// reference_runs and, for the life of the process, in memory). The process's graders share it, so
/// one computes what the others wait for; and an idle grader prepares every version an assessment
/// uses (<see cref="PrepareNextAsync"/>), so no candidate's submission waits for either.
/// </summary>
public sealed class GradingArtifacts(DockerSandbox sandbox, ChallengeStore challenges, ILogger logger, TimeProvider clock) : IDisposable
{
    /// <summary>How long idle graders leave a version alone after trying to prepare it.</summary>
    private static readonly TimeSpan RetryPreparingAfter = TimeSpan.FromMinutes(10);

    // Shared work is cancelled by the owner's lifetime only (Dispose), never by one caller.
    private readonly CancellationTokenSource _lifetime = new();
    private ProbeBuilds? _probeBuilds;

    private ProbeBuilds Builds => _probeBuilds ??= new ProbeBuilds(sandbox, challenges, _lifetime.Token);
    private readonly SharedResults<(Guid Version, long Seed), ReferenceResult> _references = new(r => r.Error is not null);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _tried = new();
    private string? _image;

    /// <summary>The compiled probes of a version, stored under its content hash.</summary>
    public Task<ProbeBuild> ProbesAsync(ChallengeVersion version, CancellationToken ct) => Builds.GetAsync(version.Challenge, ct, version.ContentHash);

    /// <summary>The compiled probes of a challenge read from disk (a bench, a local grade).</summary>
    public Task<ProbeBuild> ProbesAsync(Challenge challenge, CancellationToken ct) => Builds.GetAsync(challenge, ct);

    /// <summary>The reference observations of a version for a hidden seed: from memory, else the database, else computed once.</summary>
    public Task<ReferenceResult> ReferenceAsync(ChallengeVersion version, IReadOnlyDictionary<string, CompiledProbe> probes, long hiddenSeed, CancellationToken ct) =>
        _references.GetAsync((version.Id, hiddenSeed), () => StoredOrComputedAsync(version, probes, hiddenSeed, _lifetime.Token), ct);

    private async Task<ReferenceResult> StoredOrComputedAsync(ChallengeVersion version, IReadOnlyDictionary<string, CompiledProbe> probes, long hiddenSeed, CancellationToken ct)
    {
        if (await challenges.GetReferenceRunAsync(version.Id, hiddenSeed, ct) is { } stored)
        {
            return new ReferenceResult(stored, null);
        }
        var challenge = version.Challenge;
        var job = sandbox.JobFor(challenge, probes, challenge.ReferenceFiles, challenge.Tests, hiddenSeed);
        var run = await sandbox.RunAsync(job, challenge.Limits, ct);
        if (run.ProblemAsReference(challenge.Probes.Select(p => p.Id)) is { } problem)
        {
            return new ReferenceResult(null, $"the reference solution of {challenge.PackId}/{challenge.Id} failed: {problem}");
        }
        await challenges.SaveReferenceRunAsync(version.Id, hiddenSeed, run.Probes, run.WallMs, ct);
        logger.LogInformation("Reference observations of {Pack}/{Challenge} (hidden seed {Seed}) computed in {Ms:F0} ms", challenge.PackId, challenge.Id, hiddenSeed, run.WallMs);
        return new ReferenceResult(run.Probes, null);
    }

    /// <summary>
    /// Prepares one version that an assessment uses and that lacks its stored probe build or
    /// reference observations for some hidden seed: builds (or stores) its probes and computes every
    /// missing seed. False when none is left. A version is tried at most once per
    /// <see cref="RetryPreparingAfter"/>, whatever the outcome, so a version that cannot be prepared
    /// never keeps an idle grader busy (grading reports its error when a submission needs it).
    /// </summary>
    public async Task<bool> PrepareNextAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var image = _image ??= await sandbox.ImageIdAsync(ct);
        foreach (var id in await challenges.UnpreparedVersionsAsync(GradingPlan.HiddenSeedPoolSize, image, 16, ct))
        {
            if (_tried.TryGetValue(id, out var until) && until > now || await challenges.GetAsync(id, ct) is not { } version)
            {
                continue;
            }
            _tried[id] = now + RetryPreparingAfter;
            var error = (await ProbesAsync(version, ct)) is { Probes: { } probes }
                ? await PrepareSeedsAsync(version, probes, ct)
                : "its probes do not build";
            if (error is not null)
            {
                logger.LogWarning("Could not prepare {Pack}/{Challenge} for grading: {Error}", version.Challenge.PackId, version.Challenge.Id, error);
            }
            return true;
        }
        return false;
    }

    private async Task<string?> PrepareSeedsAsync(ChallengeVersion version, IReadOnlyDictionary<string, CompiledProbe> probes, CancellationToken ct)
    {
        foreach (var seed in GradingPlan.HiddenSeeds(version.Challenge))
        {
            if ((await ReferenceAsync(version, probes, seed, ct)).Error is { } error)
            {
                return error;
            }
        }
        return null;
    }

    /// <summary>
    /// Stops the shared work under way (a build or reference run nobody may be waiting for any
    /// more) and waits for it to end, so its sandbox container is gone before the sandbox is.
    /// </summary>
    public void Dispose()
    {
        _lifetime.Cancel();
        var started = _references.Started.Concat(_probeBuilds?.Started ?? []).ToArray();
        try
        {
            Task.WaitAll(started, TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Cancelled or failed: either way it has ended.
        }
        _lifetime.Dispose();
    }
}
