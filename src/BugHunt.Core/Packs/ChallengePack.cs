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

    /// <summary>The probes the given tests need, in the pack's order.</summary>
    public IReadOnlyList<ProbeSource> ProbesFor(IEnumerable<TestSpec> tests)
    {
        var needed = tests.Select(t => t.Probe).ToHashSet(StringComparer.Ordinal);
        return Probes.Where(p => needed.Contains(p.Id)).ToList();
    }
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
