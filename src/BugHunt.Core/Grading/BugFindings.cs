using BugHunt.Core.Packs;

namespace BugHunt.Core.Grading;

/// <summary>A planted bug of a level as a recruiter's report shows it: its fault class, and whether the counted submission fixed it.</summary>
public sealed record BugFinding(int Level, string Challenge, string Bug, string? Title, string Summary, string? FaultClass, string? Mirrors, bool Found);

/// <summary>Planted bugs of one fault class across a session's levels, and how many of them the candidate found.</summary>
public sealed record FaultClassTally(string FaultClass, string Name, int Planted, int Found);

/// <summary>
/// Which planted bugs a graded submission fixed. A bug is <b>gone</b> from the submission when
/// the lines it planted are no longer all in the file (or, for a bug that deleted lines, the
/// deleted lines are back). It is <b>found</b> when it is gone and every test that targets it
/// passes wherever all of that test's targets are gone too: a failing test is put down to its
/// bugs still in the code when there are some, and otherwise to a wrong fix of every one of them.
/// So the reference with one bug planted finds the others, and a rewrite that removes a bug's
/// line without fixing it finds nothing. A submission that passes every test found every bug; in a
/// per-bug challenge the verdict's own count decides (the bugs it credits), so the report and the
/// score never disagree. Without test results (a compile error) none is found.
/// </summary>
public static class BugFindings
{
    public static IReadOnlyList<BugFinding> Of(int level, Challenge challenge, IReadOnlyDictionary<string, string>? files, Verdict? verdict)
    {
        if (verdict is { Tests.Count: > 0 } && (verdict.Tests.All(t => t.Passed) || verdict.BugsFixed is not null))
        {
            var all = verdict.BugsFixed is null;
            return [.. challenge.Bugs.Select(b => Finding(level, challenge, b, all || verdict.BugsFixed!.Titles.Contains(b.Title ?? "")))];
        }
        var passed = (verdict?.Tests ?? []).Where(t => t.Passed).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var gone = challenge.Bugs
            .Where(b => verdict?.Tests.Count > 0 && files is not null && IsGone(challenge, b, files))
            .Select(b => b.Id)
            .ToHashSet(StringComparer.Ordinal);
        return [.. challenge.Bugs.Select(bug =>
        {
            var found = gone.Contains(bug.Id) && challenge.Tests
                .Where(t => t.Targets.Contains(bug.Id) && t.Targets.All(gone.Contains))
                .All(t => passed.Contains(t.Id));
            return Finding(level, challenge, bug, found);
        })];
    }

    private static BugFinding Finding(int level, Challenge challenge, Variant bug, bool found) =>
        new(level, challenge.Id, bug.Id, bug.Title, bug.Summary, bug.FaultClass, bug.Mirrors, found);

    /// <summary>Whether the lines a bug planted (compared with the reference, per file) are no longer all in the submission.</summary>
    private static bool IsGone(Challenge challenge, Variant bug, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (name, planted) in bug.Files)
        {
            var reference = Lines(challenge.ReferenceFiles.GetValueOrDefault(name, ""));
            var buggy = Lines(planted);
            var submitted = Lines(files.GetValueOrDefault(name, ""));
            var added = Minus(buggy, reference);
            var removed = Minus(reference, buggy);
            var present = added.Count > 0 ? Minus(added, submitted).Count == 0 : removed.Count > 0 && Minus(removed, submitted).Count > 0;
            if (present)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A file's non-blank lines, trimmed, so layout alone neither plants nor removes a bug.</summary>
    private static List<string> Lines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>The multiset difference: each line of <paramref name="a"/> not matched by one of <paramref name="b"/>.</summary>
    private static List<string> Minus(List<string> a, List<string> b)
    {
        var left = b.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rest = new List<string>();
        foreach (var line in a)
        {
            if (left.TryGetValue(line, out var n) && n > 0)
            {
                left[line] = n - 1;
            }
            else
            {
                rest.Add(line);
            }
        }
        return rest;
    }

    /// <summary>The findings counted by fault class, in the taxonomy's order; bugs without a class count as "unclassified".</summary>
    public static IReadOnlyList<FaultClassTally> ByClass(IEnumerable<BugFinding> findings)
    {
        var order = FaultClasses.All.Keys.ToList();
        return [.. findings
            .GroupBy(f => f.FaultClass ?? "unclassified")
            .OrderBy(g => order.IndexOf(g.Key) is var i && i < 0 ? int.MaxValue : i)
            .Select(g => new FaultClassTally(g.Key, FaultClasses.All.GetValueOrDefault(g.Key, "Unclassified"), g.Count(), g.Count(f => f.Found)))];
    }
}
