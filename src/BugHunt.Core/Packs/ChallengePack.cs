using BugHunt.Core.Checks;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Packs;

// The pack model an author writes on disk (see challenges/README.md) and the grader reads back
// from the database. Hidden material (reference, probes of hidden tests, planted bugs) lives here
// and must never be copied into a response for a candidate.

public sealed record ChallengePack(string Id, string Title, string Directory, IReadOnlyList<Challenge> Challenges);

public sealed record Challenge(
    string PackId,
    string Id,
    string Title,
    int Level,
    int ExpectedSolveMinutes,
    string Statement,
    IReadOnlyList<string> Editable,
    SandboxLimits Limits,
    IReadOnlyDictionary<string, string> StarterFiles,
    IReadOnlyDictionary<string, string> ReferenceFiles,
    IReadOnlyList<ProbeSource> Probes,
    IReadOnlyList<TestSpec> Tests,
    IReadOnlyList<Variant> Bugs,
    IReadOnlyList<Variant> WrongFixes,
    IReadOnlyList<Hint> Hints)
{
    public IEnumerable<TestSpec> PublicTests => Tests.Where(t => t.Visibility == Visibility.Public);

    /// <summary>The challenge's rules for submitted code (rules: in challenge.yaml), enforced at compile time.</summary>
    public SubmissionRules Rules { get; init; } = SubmissionRules.None;

    /// <summary>Machine mutants of the reference the author declared equivalent (equivalent_mutants: in challenge.yaml), by id, with the reason.</summary>
    public IReadOnlyDictionary<string, string> EquivalentMutants { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A probe is public when a public test uses it: it runs from the fixed public seed and its
    /// output may be shown. Every other probe is hidden.
    /// </summary>
    public bool IsPublicProbe(string probeId) => PublicTests.Any(t => t.Probe == probeId);
}

public sealed record SandboxLimits(int TimeSeconds, int MemoryMb);

public enum Visibility
{
    Public,
    Hidden,
}

public sealed record TestSpec(
    string Id,
    string Title,
    string Probe,
    Visibility Visibility,
    string Category,
    double Weight,
    IReadOnlyList<string> Targets,
    CheckSpec Check);

/// <summary>A hint a candidate may reveal; it costs <see cref="CostPercent"/> percent of the level's points.</summary>
public sealed record Hint(string Id, int CostPercent, string Text);

/// <summary>A planted bug or a plausible-but-wrong fix: files that replace the reference's.</summary>
public sealed record Variant(string Id, string Summary, IReadOnlyDictionary<string, string> Files);
