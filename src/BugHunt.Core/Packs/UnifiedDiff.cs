using System.Text;
using System.Text.RegularExpressions;

namespace BugHunt.Core.Packs;

/// <summary>
/// The unified diffs a pack writes its planted bugs and wrong fixes in (bugs/&lt;id&gt;.diff): read
/// strictly, applied without fuzz, and written back the way <c>diff -u</c> and <c>git diff</c> do.
/// A line is kept with its line break, so a missing final newline ("\ No newline at end of file")
/// survives a round trip exactly.
/// </summary>
public static partial class UnifiedDiff
{
    private const string NoNewline = "\\ No newline at end of file";
    private const int Context = 3;

    /// <summary>
    /// One hunk: base lines <c>[Start, Start + Old.Count)</c>, context included, become <see cref="New"/>.
    /// <see cref="Body"/> keeps each line's kind (' ', '-', '+'); <see cref="Number"/> is 1-based, for messages.
    /// </summary>
    public sealed record Hunk(string File, int Start, IReadOnlyList<(char Kind, string Line)> Body, int Number)
    {
        public IEnumerable<string> Old => Body.Where(l => l.Kind != '+').Select(l => l.Line);

        /// <summary>The hunk's changes without context: blocks of removed lines and the lines that replace them.</summary>
        public IEnumerable<Edit> Changes()
        {
            var position = Start;
            var old = new List<string>();
            var added = new List<string>();
            foreach (var (kind, line) in Body.Append((' ', "")))
            {
                if (kind == ' ' || kind == '-' && added.Count > 0)
                {
                    if (old.Count + added.Count > 0)
                    {
                        yield return new Edit(File, position - old.Count, old.ToList(), added.ToList());
                        old.Clear();
                        added.Clear();
                    }
                }
                if (kind == '+')
                {
                    added.Add(line);
                }
                else
                {
                    if (kind == '-')
                    {
                        old.Add(line);
                    }
                    position++;
                }
            }
        }
    }

    /// <summary>Base lines <c>[Start, Start + Old.Count)</c> become <see cref="New"/>.</summary>
    public sealed record Edit(string File, int Start, IReadOnlyList<string> Old, IReadOnlyList<string> New);

    /// <summary>
    /// The hunks of a diff, in file and line order. <paramref name="shown"/> names the diff in
    /// messages; <paramref name="files"/> are the files it may change.
    /// </summary>
    public static IReadOnlyList<Hunk> Parse(string text, string shown, IReadOnlyCollection<string> files)
    {
        text = text.ReplaceLineEndings("\n");
        var lines = (text.EndsWith('\n') ? text[..^1] : text).Split('\n');
        var hunks = new List<Hunk>();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        string? file = null;
        var number = 0;
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                file = FileName(line[4..], shown, i + 1, files);
                if (!seenFiles.Add(file))
                {
                    throw new PackFormatException(shown, "", $"line {i + 1}: changes {file} a second time; put all of a file's hunks under one header");
                }
                if (i + 1 >= lines.Length || !lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
                {
                    throw new PackFormatException(shown, "", $"line {i + 2}: expected the '+++ ' line that follows '--- {file}'");
                }
                if (lines[i + 1][4..].Split('\t')[0].Trim() == "/dev/null")
                {
                    throw new PackFormatException(shown, "", $"line {i + 2}: deletes {file}; a variant changes lines of the reference's files, it never deletes one");
                }
                number = 0;
                i += 2;
                continue;
            }
            var header = HunkHeader().Match(line);
            if (!header.Success)
            {
                // What tools write before a file's header (diff --git, index ...), or a trailing blank line.
                if (file is not null && line.Length > 0 && line[0] is ' ' or '+' or '-')
                {
                    throw new PackFormatException(shown, "", $"line {i + 1}: a changed line outside any hunk; every change follows an '@@ -a,b +c,d @@' header");
                }
                i++;
                continue;
            }
            if (file is null)
            {
                throw new PackFormatException(shown, "", $"line {i + 1}: a hunk before any '--- <file>' header");
            }
            number++;
            var oldStart = int.Parse(header.Groups[1].Value);
            var oldCount = header.Groups[2].Success ? int.Parse(header.Groups[2].Value) : 1;
            var newCount = header.Groups[4].Success ? int.Parse(header.Groups[4].Value) : 1;
            var at = $"hunk {number} of {file}";
            var body = new List<(char, string)>();
            int seenOld = 0, seenNew = 0;
            i++;
            while (seenOld < oldCount || seenNew < newCount)
            {
                if (i >= lines.Length || HunkHeader().IsMatch(lines[i]) || lines[i].StartsWith("--- ", StringComparison.Ordinal) && lines.Length > i + 1 && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
                {
                    throw new PackFormatException(shown, "", $"{at} ends early: its header promises {oldCount} old and {newCount} new lines, the body has {seenOld} and {seenNew}");
                }
                var raw = lines[i];
                // Editors that strip trailing spaces turn an empty context line into an empty line.
                var kind = raw.Length == 0 ? ' ' : raw[0];
                if (kind is not (' ' or '-' or '+'))
                {
                    throw new PackFormatException(shown, "", $"line {i + 1}: {at} has a line starting with '{kind}'; hunk lines start with ' ', '-' or '+'");
                }
                var last = i + 1 < lines.Length && lines[i + 1] == NoNewline;
                body.Add((kind, (raw.Length == 0 ? "" : raw[1..]) + (last ? "" : "\n")));
                seenOld += kind == '+' ? 0 : 1;
                seenNew += kind == '-' ? 0 : 1;
                i += last ? 2 : 1;
            }
            if (seenOld != oldCount || seenNew != newCount)
            {
                throw new PackFormatException(shown, "", $"{at}: its header promises {oldCount} old and {newCount} new lines, the body has {seenOld} and {seenNew}");
            }
            var start = oldCount == 0 ? oldStart : oldStart - 1;
            if (hunks.Count > 0 && hunks[^1].File == file && hunks[^1].Start + hunks[^1].Old.Count() > start)
            {
                throw new PackFormatException(shown, "", $"{at} starts before the end of the hunk above it; hunks come in line order");
            }
            hunks.Add(new Hunk(file, start, body, number));
        }
        if (!hunks.Any(h => h.Body.Any(l => l.Kind != ' ')))
        {
            throw new PackFormatException(shown, "", "changes nothing: a variant must change at least one line of the reference");
        }
        return hunks;
    }

    /// <summary>
    /// Applies hunks of one or more diffs, all written against <paramref name="baseFiles"/>, checking
    /// that each hunk's old lines (context included) are what the base holds there. Changes from
    /// different diffs (<c>Owner</c>, the name used in messages) must not touch the same lines.
    /// Returns only the files a hunk changed.
    /// </summary>
    public static Dictionary<string, string> Apply(
        IReadOnlyDictionary<string, string> baseFiles,
        string baseName,
        IEnumerable<(string Owner, Hunk Hunk)> hunks)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in hunks.GroupBy(h => h.Hunk.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!baseFiles.TryGetValue(group.Key, out var text))
            {
                throw new PackFormatException(group.First().Owner, "", $"changes {group.Key}, which {baseName} does not have");
            }
            var lines = SplitKeepingBreaks(text);
            foreach (var (owner, hunk) in group)
            {
                CheckOldLines(lines, owner, hunk, baseName);
            }
            var edits = group.SelectMany(h => h.Hunk.Changes().Select(e => (h.Owner, Edit: e)))
                .OrderBy(e => e.Edit.Start).ThenBy(e => e.Edit.Old.Count).ToList();
            var output = new StringBuilder();
            var position = 0;
            for (var k = 0; k < edits.Count; k++)
            {
                var (owner, edit) = edits[k];
                if (k > 0 && edits[k - 1] is var (previousOwner, previous)
                    && (edit.Start < previous.Start + previous.Old.Count || edit.Start == previous.Start && edit.Old.Count == 0))
                {
                    throw new PackFormatException(owner, "", $"changes line {edit.Start + 1} of {baseName}/{edit.File}, next to a change {previousOwner} makes: each variant must change lines of its own");
                }
                for (; position < edit.Start; position++)
                {
                    output.Append(lines[position]);
                }
                foreach (var line in edit.New)
                {
                    output.Append(line);
                }
                position = edit.Start + edit.Old.Count;
            }
            for (; position < lines.Count; position++)
            {
                output.Append(lines[position]);
            }
            result[group.Key] = output.ToString();
        }
        return result;
    }

    /// <summary>A diff from <paramref name="before"/> to <paramref name="after"/> of one file, with 3 lines of context; empty when equal.</summary>
    public static string Write(string file, string before, string after)
    {
        var a = SplitKeepingBreaks(before);
        var b = SplitKeepingBreaks(after);
        var script = LineScript(a, b);
        if (script.All(s => s.Kind == ' '))
        {
            return "";
        }
        var text = new StringBuilder($"--- a/{file}\n+++ b/{file}\n");
        var changed = script.Select((s, index) => (s, index)).Where(x => x.s.Kind != ' ').Select(x => x.index).ToList();
        var k = 0;
        while (k < changed.Count)
        {
            var first = Math.Max(0, changed[k] - Context);
            var last = changed[k];
            while (k + 1 < changed.Count && changed[k + 1] - last <= 2 * Context + 1)
            {
                last = changed[++k];
            }
            k++;
            last = Math.Min(script.Count - 1, last + Context);
            var slice = script.Skip(first).Take(last - first + 1).ToList();
            var oldFrom = script.Take(first).Count(s => s.Kind != '+');
            var newFrom = script.Take(first).Count(s => s.Kind != '-');
            var oldCount = slice.Count(s => s.Kind != '+');
            var newCount = slice.Count(s => s.Kind != '-');
            text.Append($"@@ -{Range(oldFrom, oldCount)} +{Range(newFrom, newCount)} @@\n");
            foreach (var (kind, line) in slice)
            {
                text.Append(kind).Append(line.EndsWith('\n') ? line : line + "\n" + NoNewline + "\n");
            }
        }
        return text.ToString();
    }

    private static string Range(int from, int count) => count == 0 ? $"{from},0" : count == 1 ? $"{from + 1}" : $"{from + 1},{count}";

    /// <summary>The shortest edit script from a to b (longest common subsequence of lines).</summary>
    private static List<(char Kind, string Line)> LineScript(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var script = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                script.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Count && (x == a.Count || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                script.Add(('+', b[y++]));
            }
            else
            {
                script.Add(('-', a[x++]));
            }
        }
        // Removed lines read better before the lines that replace them.
        for (var i = 1; i < script.Count; i++)
        {
            for (var j = i; j > 0 && script[j].Item1 == '-' && script[j - 1].Item1 == '+'; j--)
            {
                (script[j], script[j - 1]) = (script[j - 1], script[j]);
            }
        }
        return script;
    }

    private static void CheckOldLines(IReadOnlyList<string> lines, string owner, Hunk hunk, string baseName)
    {
        var at = hunk.Start;
        foreach (var expected in hunk.Old)
        {
            if (at >= lines.Count)
            {
                throw new PackFormatException(owner, "", $"hunk {hunk.Number} does not apply to {baseName}/{hunk.File}: it expects line {at + 1}, and the file has {lines.Count} lines");
            }
            if (lines[at] != expected)
            {
                throw new PackFormatException(owner, "", $"hunk {hunk.Number} does not apply to {baseName}/{hunk.File}: line {at + 1} is '{lines[at].TrimEnd('\n')}', the diff expects '{expected.TrimEnd('\n')}'");
            }
            at++;
        }
    }

    private static string FileName(string path, string shown, int line, IReadOnlyCollection<string> files)
    {
        var name = path.Split('\t')[0].Trim();
        if (name == "/dev/null")
        {
            throw new PackFormatException(shown, "", $"line {line}: creates a file; a variant changes lines of the reference's files, it never adds one");
        }
        name = name.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        if (!files.Contains(name))
        {
            throw new PackFormatException(shown, "", $"line {line}: changes '{name}', which is not one of the editable files ({string.Join(", ", files)})");
        }
        return name;
    }

    internal static List<string> SplitKeepingBreaks(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }
        return lines;
    }

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();
}
