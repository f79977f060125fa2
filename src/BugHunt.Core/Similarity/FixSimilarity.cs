using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BugHunt.Core.Similarity;

/// <summary>A candidate's fix reduced to what can be compared with other candidates' fixes.</summary>
public sealed record FixFingerprint(string Candidate, int EditTokens, IReadOnlySet<string> Shingles);

public sealed record SimilarPair(string A, string B, double Score, int EditTokensA, int EditTokensB, bool Flagged);

/// <summary>
/// Compares candidates' fixes. Every candidate starts from the same buggy code, and the correct
/// fix of each planted bug is the same for everyone, so neither the starter nor the reference
/// fix carries any signal. A fix is therefore the candidate's token-level edit of the starter
/// (Roslyn tokens, identifiers and string literals normalised, comments and layout ignored),
/// minus the edits the reference solution itself makes. What remains (own restructuring,
/// helper code, the same odd mistake) is compared pairwise with the Jaccard index of 4-token
/// shingles. Short residues say nothing and are never flagged.
/// </summary>
public static class FixSimilarity
{
    public const double FlagThreshold = 0.8;
    public const int MinEditTokens = 20;
    private const int Shingle = 4;

    public static FixFingerprint Fingerprint(string candidate, IReadOnlyDictionary<string, string> starter, IReadOnlyDictionary<string, string> reference, IReadOnlyDictionary<string, string> files)
    {
        var edits = new List<string>();
        foreach (var (name, starterText) in starter.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var baseTokens = Tokens(starterText);
            var canonical = Edits(baseTokens, Tokens(reference.GetValueOrDefault(name, starterText))).ToHashSet(StringComparer.Ordinal);
            edits.AddRange(Edits(baseTokens, Tokens(files.GetValueOrDefault(name, starterText))).Where(e => !canonical.Contains(e)));
        }
        var shingles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + Shingle <= edits.Count; i++)
        {
            shingles.Add(string.Join(' ', edits.Skip(i).Take(Shingle)));
        }
        return new FixFingerprint(candidate, edits.Count, shingles);
    }

    public static IReadOnlyList<SimilarPair> Compare(IReadOnlyList<FixFingerprint> fixes)
    {
        var pairs = new List<SimilarPair>();
        for (var i = 0; i < fixes.Count; i++)
        {
            for (var j = i + 1; j < fixes.Count; j++)
            {
                var (a, b) = (fixes[i], fixes[j]);
                var union = a.Shingles.Count + b.Shingles.Count - a.Shingles.Count(b.Shingles.Contains);
                var score = union == 0 ? 0 : (double)(a.Shingles.Count + b.Shingles.Count - union) / union;
                var flagged = score >= FlagThreshold && a.EditTokens >= MinEditTokens && b.EditTokens >= MinEditTokens;
                pairs.Add(new SimilarPair(a.Candidate, b.Candidate, Math.Round(score, 3), a.EditTokens, b.EditTokens, flagged));
            }
        }
        return [.. pairs.OrderByDescending(p => p.Score)];
    }

    /// <summary>Tokens with identifiers numbered by first use (renaming hides nothing) and string contents dropped.</summary>
    internal static List<string> Tokens(string source)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = new List<string>();
        foreach (var token in CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.EndOfFileToken))
            {
                continue;
            }
            tokens.Add(token.Kind() switch
            {
                SyntaxKind.IdentifierToken => "id" + (names.TryGetValue(token.ValueText, out var n) ? n : names[token.ValueText] = names.Count),
                SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.CharacterLiteralToken => "str",
                _ => token.Text,
            });
        }
        return tokens;
    }

    /// <summary>The edit from <paramref name="from"/> to <paramref name="to"/> as "+token" / "-token", in order (longest common subsequence).</summary>
    internal static List<string> Edits(List<string> from, List<string> to)
    {
        // Trim the common prefix and suffix first: fixes are small edits of long files.
        var start = 0;
        while (start < from.Count && start < to.Count && from[start] == to[start])
        {
            start++;
        }
        int endFrom = from.Count, endTo = to.Count;
        while (endFrom > start && endTo > start && from[endFrom - 1] == to[endTo - 1])
        {
            endFrom--;
            endTo--;
        }
        int n = endFrom - start, m = endTo - start;
        if ((long)n * m > 16_000_000)
        {
            // Unreasonably different files: compare them as wholesale replacements.
            return [.. from.Skip(start).Take(n).Select(t => "-" + t), .. to.Skip(start).Take(m).Select(t => "+" + t)];
        }
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = from[start + i] == to[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var edits = new List<string>();
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && from[start + x] == to[start + y])
            {
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add("+" + to[start + y++]);
            }
            else
            {
                edits.Add("-" + from[start + x++]);
            }
        }
        return edits;
    }
}
