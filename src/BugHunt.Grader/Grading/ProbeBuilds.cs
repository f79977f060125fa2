using System.Collections.Concurrent;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Sandboxes;

namespace BugHunt.Grader.Grading;

/// <summary>The compiled probes of one challenge version, or why they could not be built.</summary>
public sealed record ProbeBuild(IReadOnlyDictionary<string, CompiledProbe>? Probes, string? Error);

/// <summary>
/// Compiles each challenge version's probes once, in a sandbox, against its reference solution,
/// and keeps the images for the life of the process (keyed by the version's content hash, so an
/// unchanged challenge is not rebuilt). A failed build is not kept: the next job tries again.
/// </summary>
public sealed class ProbeBuilds(DockerSandbox sandbox)
{
    private const int BuildTimeSeconds = 60;

    private readonly ConcurrentDictionary<string, Lazy<Task<ProbeBuild>>> _builds = new(StringComparer.Ordinal);

    public async Task<ProbeBuild> GetAsync(Challenge challenge, CancellationToken ct)
    {
        var key = ChallengeStore.ContentHash(challenge);
        var lazy = _builds.GetOrAdd(key, _ => new Lazy<Task<ProbeBuild>>(() => BuildAsync(challenge, CancellationToken.None)));
        var build = await lazy.Value.WaitAsync(ct);
        if (build.Error is not null)
        {
            _builds.TryRemove(KeyValuePair.Create(key, lazy));
        }
        return build;
    }

    private async Task<ProbeBuild> BuildAsync(Challenge challenge, CancellationToken ct)
    {
        // Compiling is not what the challenge's time limit measures: the build gets a generous one of its own.
        var limits = challenge.Limits with { TimeSeconds = Math.Max(challenge.Limits.TimeSeconds, BuildTimeSeconds) };
        var run = await sandbox.RunAsync(sandbox.ProbeBuildFor(challenge), limits, ct);
        var name = $"{challenge.PackId}/{challenge.Id}";
        if (run.Exit != SandboxExit.Completed || !run.Compiled)
        {
            var why = run.Diagnostics.FirstOrDefault() is { } d ? $"{d.File}:{d.Line}: {d.Message}" : $"{run.Exit}: {run.Reason}";
            return new ProbeBuild(null, $"the reference solution of {name} could not be compiled for its probes: {why}");
        }
        if (run.ProbeCompileErrors.FirstOrDefault() is { Key: { } probe, Value: var error })
        {
            return new ProbeBuild(null, $"probe '{probe}' of {name} does not compile against the reference: {error}");
        }
        var missing = challenge.Probes.Where(p => !run.CompiledProbes.ContainsKey(p.Id)).Select(p => p.Id).ToList();
        return missing.Count > 0
            ? new ProbeBuild(null, $"probes of {name} were not built: {string.Join(", ", missing)}")
            : new ProbeBuild(run.CompiledProbes, null);
    }
}
