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
/// unchanged challenge is not rebuilt). With a <see cref="ChallengeStore"/> the build is also kept
/// in the database per sandbox image, so other graders and restarted ones take it from there. A
/// failed build is not kept: the next job tries again.
/// </summary>
public sealed class ProbeBuilds(DockerSandbox sandbox, ChallengeStore? store = null, CancellationToken lifetime = default)
{
    private const int BuildTimeSeconds = 60;

    private readonly SharedResults<string, ProbeBuild> _builds = new(b => b.Error is not null, StringComparer.Ordinal);

    /// <summary>
    /// The compiled probes of <paramref name="challenge"/>; <paramref name="contentHash"/> is its
    /// version's content hash when it was read from the database (the key the build is stored under).
    /// </summary>
    public Task<ProbeBuild> GetAsync(Challenge challenge, CancellationToken ct, string? contentHash = null)
    {
        var key = contentHash ?? ChallengeStore.ContentHash(challenge);
        return _builds.GetAsync(key, () => StoredOrBuiltAsync(key, challenge, lifetime), ct);
    }

    /// <summary>Builds under way or done, for an owner that waits for them before its sandbox goes.</summary>
    internal IEnumerable<Task> Started => _builds.Started;

    private async Task<ProbeBuild> StoredOrBuiltAsync(string key, Challenge challenge, CancellationToken ct)
    {
        if (store is null)
        {
            return (await BuildAsync(challenge, ct)).Build;
        }
        var image = await sandbox.ImageIdAsync(ct);
        if (await store.GetProbeBuildAsync(key, image, ct) is { } stored && challenge.Probes.All(p => stored.ContainsKey(p.Id)))
        {
            return new ProbeBuild(stored, null);
        }
        var (build, elapsedMs) = await BuildAsync(challenge, ct);
        if (build.Probes is { } probes)
        {
            try
            {
                await store.SaveProbeBuildAsync(key, image, probes, elapsedMs, ct);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // Kept in memory anyway; another grader, or this one after a restart, builds it again.
            }
        }
        return build;
    }

    private async Task<(ProbeBuild Build, double ElapsedMs)> BuildAsync(Challenge challenge, CancellationToken ct)
    {
        // Compiling is not what the challenge's time limit measures: the build gets a generous one of its own.
        var limits = challenge.Limits with { TimeSeconds = Math.Max(challenge.Limits.TimeSeconds, BuildTimeSeconds) };
        var run = await sandbox.RunAsync(sandbox.ProbeBuildFor(challenge), limits, ct);
        var name = $"{challenge.PackId}/{challenge.Id}";
        if (run.Exit != SandboxExit.Completed || !run.Compiled)
        {
            var why = run.Diagnostics.FirstOrDefault() is { } d ? $"{d.File}:{d.Line}: {d.Message}" : $"{run.Exit}: {run.Reason}";
            return (new ProbeBuild(null, $"the reference solution of {name} could not be compiled for its probes: {why}"), run.WallMs);
        }
        if (run.ProbeCompileErrors.FirstOrDefault() is { Key: { } probe, Value: var error })
        {
            return (new ProbeBuild(null, $"probe '{probe}' of {name} does not compile against the reference: {error}"), run.WallMs);
        }
        var missing = challenge.Probes.Where(p => !run.CompiledProbes.ContainsKey(p.Id)).Select(p => p.Id).ToList();
        return missing.Count > 0
            ? (new ProbeBuild(null, $"probes of {name} were not built: {string.Join(", ", missing)}"), run.WallMs)
            : (new ProbeBuild(run.CompiledProbes, null), run.WallMs);
    }
}
