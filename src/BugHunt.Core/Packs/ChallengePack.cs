using BugHunt.Core.Checks;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Packs;

// The pack model an author writes on disk (see challenges/README.md) and the grader reads back
// from the database. Hidden material (reference, probes of hidden tests, planted bugs) lives here
// and must never be copied into a response for a candidate.

public sealed record ChallengePack(string Id, string Title, string Directory, IReadOnlyList<Challenge> Challenges)
{
    /// <summary>Standard assessments built from this pack (assessments: in pack.yaml), so a recruiter creates one from its name.</summary>
    public IReadOnlyList<AssessmentTemplate> Templates { get; init; } = [];
}

/// <summary>
/// A standard assessment a pack offers, shaped like the body of POST /api/admin/assessments;
/// <see cref="Id"/> is unique in the pack, and a recruiter names it "pack/id".
/// </summary>
public sealed record AssessmentTemplate(
    string Id,
    string Name,
    string Description,
    int TimeLimitMinutes,
    int MaxPoints,
    int PassPoints,
    bool HintsAllowed,
    string? AiPolicy,
    Assessments.ProctoringRequirements Proctoring,
    IReadOnlyList<TemplateLevel> Levels);

/// <summary>A level of a template: <see cref="PassRule"/> is all_tests, or score with <see cref="PassThreshold"/> in (0, 1].</summary>
public sealed record TemplateLevel(string Pack, string Challenge, int Points, string PassRule, double? PassThreshold);

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

    /// <summary>What the challenge is about, for the catalogue (topics: in challenge.yaml); null when it names none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Topics { get; init; }

    /// <summary>
    /// The starting notebook the candidate's workbench opens with (notebook/*.csx, in file name
    /// order, one cell each): experiments that show the ticket's symptoms. Null when there is none.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Notebook { get; init; }

    /// <summary>How a submission's score is computed (scoring: in challenge.yaml).</summary>
    public ScoringMode Scoring { get; init; } = ScoringMode.Tests;

    /// <summary>
    /// A probe is public when a public test uses it: it runs from the fixed public seed and its
    /// output may be shown. Every other probe is hidden.
    /// </summary>
    public bool IsPublicProbe(string probeId) => PublicTests.Any(t => t.Probe == probeId);
}

public sealed record SandboxLimits(int TimeSeconds, int MemoryMb);

public enum ScoringMode
{
    /// <summary>The passed share of test weight.</summary>
    Tests,

    /// <summary>Equal credit per planted bug fixed, reduced by failed checks of the whole (see challenges/README.md).</summary>
    PerBug,
}

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
    CheckSpec Check)
{
    /// <summary>
    /// In a per-bug challenge, the candidate-safe titles of <see cref="Targets"/>, in the same
    /// order; null in a challenge scored by test weight. The judge sees tests only, so the
    /// challenge's way of scoring travels with them.
    /// </summary>
    public IReadOnlyList<string>? TargetTitles { get; init; }
}

/// <summary>A hint a candidate may reveal; it costs <see cref="CostPercent"/> percent of the level's points.</summary>
public sealed record Hint(string Id, int CostPercent, string Text);

/// <summary>A planted bug or a plausible-but-wrong fix: files that replace the reference's.</summary>
public sealed record Variant(string Id, string Summary, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>
    /// A planted bug's name as a candidate may read it (required in per-bug challenges): what is
    /// broken, never how to fix it. <see cref="Id"/> and <see cref="Summary"/> stay hidden.
    /// </summary>
    public string? Title { get; init; }

    /// <summary>A planted bug's fault class (<see cref="FaultClasses"/>), for recruiters' reports; never shown to candidates.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? FaultClass { get; init; }

    /// <summary>The public bug report or commit a planted bug mirrors, when there is one; staff only.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Mirrors { get; init; }

    /// <summary>The diff the files were made from (bugs/&lt;id&gt;.diff); only while a pack is loaded from disk, never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<UnifiedDiff.Hunk> Hunks { get; init; } = [];
}
