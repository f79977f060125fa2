using System.Diagnostics;
using BugHunt.Core.Grading;
using BugHunt.Core.Mutants;
using BugHunt.Core.Packs;

namespace BugHunt.Grader.Packs;

/// <summary>How one machine mutant of the reference fared: killed by hidden tests, equivalent as declared, or a survivor.</summary>
public sealed record MutantReport(string Id, string Operator, string Category, string File, int Line, string Description, VerdictKind Verdict, IReadOnlyList<string> KilledBy)
{
    /// <summary>The author's reason when the mutant is declared equivalent in challenge.yaml.</summary>
    public string? Equivalent { get; init; }

    /// <summary>The mutant does not compile (or breaks the policy): the compiler, not a test, rejects it.</summary>
    public bool Stillborn => Verdict is VerdictKind.CompileError or VerdictKind.PolicyViolation;

    public bool Killed => KilledBy.Count > 0;

    public bool Survived => !Killed && Equivalent is null;
}

/// <summary>Killed / survived / equivalent mutants of one operator.</summary>
public sealed record OperatorScore(string Operator, string Category, int Mutants, int Killed, int Equivalent, int Survived);

/// <summary>The machine-mutant part of a challenge's validation.</summary>
public sealed record MutationSummary(IReadOnlyList<MutantReport> Mutants, int Dropped, double Seconds)
{
    public int Killed => Mutants.Count(m => m.Killed);

    public int Equivalent => Mutants.Count(m => m.Equivalent is not null && !m.Killed);

    public IReadOnlyList<MutantReport> Survivors => [.. Mutants.Where(m => m.Survived)];

    /// <summary>Killed share of the mutants that are not equivalent; the gate is 100%.</summary>
    public double Score => Mutants.Count - Equivalent == 0 ? 1 : (double)Killed / (Mutants.Count - Equivalent);

    public IReadOnlyList<OperatorScore> ByOperator => [.. Mutator.Operators
        .Select(o => (o, Of: Mutants.Where(m => m.Operator == o.Name).ToList()))
        .Where(x => x.Of.Count > 0)
        .Select(x => new OperatorScore(x.o.Name, x.o.Category, x.Of.Count, x.Of.Count(m => m.Killed), x.Of.Count(m => m.Equivalent is not null && !m.Killed), x.Of.Count(m => m.Survived)))];
}

/// <summary>
/// Grades every machine mutant of a challenge's reference like a submission, through the sandbox,
/// and judges each against the hidden tests: a mutant no hidden test fails survives, unless the
/// author declared it equivalent (and a declared equivalent that a test kills is a mistake).
/// </summary>
internal static class MutationRun
{
    public static async Task<(MutationSummary Summary, List<string> Problems)> RunAsync(
        Challenge challenge,
        Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<Verdict>> grade,
        int parallelism,
        Action<string> progress,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var name = $"{challenge.PackId}/{challenge.Id}";
        var mutants = Mutator.Generate(challenge.ReferenceFiles, challenge.Editable);
        progress($"{name}: {mutants.Count} machine mutants{(mutants.Dropped > 0 ? $" ({mutants.Dropped} more over the cap of {Mutator.DefaultCap})" : "")}");
        var categories = Mutator.Operators.ToDictionary(o => o.Name, o => o.Category, StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(Math.Max(1, parallelism));
        var done = 0;
        var reports = await Task.WhenAll(mutants.Select(async m =>
        {
            await slots.WaitAsync(ct);
            try
            {
                var verdict = await grade(m.Files, ct);
                var killedBy = verdict.Tests.Where(t => !t.Passed && t.Visibility == Visibility.Hidden).Select(t => t.Id).ToList();
                var report = new MutantReport(m.Id, m.Operator, categories.GetValueOrDefault(m.Operator, ""), m.File, m.Line, m.Description, verdict.Kind, killedBy)
                {
                    Equivalent = challenge.EquivalentMutants.GetValueOrDefault(m.Id),
                };
                var n = Interlocked.Increment(ref done);
                if (report.Survived || n % 10 == 0 || n == mutants.Count)
                {
                    progress($"{name}: mutant {n}/{mutants.Count} {m.Id}: {(report.Killed ? "killed" : report.Equivalent is not null ? "equivalent" : "SURVIVED")} ({VerdictKinds.Name(verdict.Kind)})");
                }
                return report;
            }
            finally
            {
                slots.Release();
            }
        }));

        var summary = new MutationSummary(reports, mutants.Dropped, clock.Elapsed.TotalSeconds);
        var problems = new List<string>();
        problems.AddRange(summary.Survivors.Select(s => $"mutant {s.Id} survived every hidden test ({s.File}:{s.Line}: {s.Description}); kill it with a test or declare it equivalent"));
        problems.AddRange(reports.Where(r => r.Equivalent is not null && r.Killed).Select(r => $"mutant {r.Id} is declared equivalent but {string.Join(", ", r.KilledBy)} kills it: remove the declaration"));
        var known = mutants.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(challenge.EquivalentMutants.Keys.Where(id => !known.Contains(id)).Select(id => $"equivalent mutant {id} is not generated from the reference any more: remove the declaration"));
        return (summary, problems);
    }
}
