using System.Security.Cryptography;
using System.Text;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Grading;

/// <summary>
/// How one submission of a challenge is put into a sandbox job: which compiled probes run, in
/// which order, from which seeds. Public probes start from <see cref="PublicSeed"/>, documented so
/// a candidate can reproduce a public result; hidden probes start from a seed drawn per
/// submission from the version's pool, so hidden inputs differ between submissions and cannot be
/// learned from the public probes. Public probes run first, so output printed after them belongs
/// to hidden ones.
/// </summary>
public static class GradingPlan
{
    public const long PublicSeed = 20_240_601;

    public const int HiddenSeedPoolSize = 4;

    /// <summary>
    /// The version's hidden seeds: derived from what grading depends on (<see cref="ChallengeStore.GradingHash"/>),
    /// so every grader and `pack validate` agree on them, and a change of topics or of the starting
    /// notebook keeps them (and the validation that proved the reference passes with each).
    /// </summary>
    public static IReadOnlyList<long> HiddenSeeds(Challenge challenge) => HiddenSeeds(ChallengeStore.GradingHash(challenge));

    /// <summary>The hidden seeds of a grading hash.</summary>
    public static IReadOnlyList<long> HiddenSeeds(string gradingHash) =>
        [.. Enumerable.Range(0, HiddenSeedPoolSize).Select(k =>
            (long)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"bughunt-hidden-seed/{gradingHash}/{k}"))) & 0x7FFF_FFFF))];

    public static SandboxJob Job(
        Challenge challenge,
        IReadOnlyDictionary<string, CompiledProbe> builds,
        IReadOnlyDictionary<string, string> files,
        IEnumerable<TestSpec> tests,
        long hiddenSeed,
        string nonce,
        int maxConsoleChars)
    {
        var needed = tests.Select(t => t.Probe).ToHashSet(StringComparer.Ordinal);
        var probes = challenge.Probes
            .Where(p => needed.Contains(p.Id))
            .Select(p => builds[p.Id] is var build && challenge.IsPublicProbe(p.Id)
                ? build with { Seed = PublicSeed, Hidden = false }
                : build with { Seed = hiddenSeed, Hidden = true })
            .OrderBy(p => p.Hidden)
            .ToList();
        return new SandboxJob(nonce, files, probes, maxConsoleChars) { Rules = challenge.Rules };
    }

    /// <summary>
    /// What a pooled runner runs before its job, to have exactly that challenge's code paths
    /// compiled when the job arrives: the challenge's starter (what every candidate has) under all
    /// its probes, every one from the public seed, so no hidden input and no reference code is in it.
    /// </summary>
    public static SandboxJob Primer(Challenge challenge, IReadOnlyDictionary<string, CompiledProbe> builds, int maxConsoleChars) =>
        Job(challenge, builds, challenge.StarterFiles, challenge.Tests, PublicSeed, "primer", maxConsoleChars);

    /// <summary>The job that compiles a challenge's probes against its reference, once per version.</summary>
    public static SandboxJob ProbeBuild(Challenge challenge, string nonce, int maxConsoleChars) =>
        new(nonce, challenge.ReferenceFiles, [], maxConsoleChars) { CompileProbes = challenge.Probes };
}
