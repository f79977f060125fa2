using BugHunt.Core.Similarity;
using Xunit;

namespace BugHunt.Core.Tests;

public class FixSimilarityTests
{
    private const string Starter = """
        public static class Numbers
        {
            public static double Mean(double[] xs)
            {
                double sum = 0;
                for (int i = 1; i < xs.Length; i++) sum += xs[i];
                return sum / xs.Length;
            }
        }
        """;

    private const string Reference = """
        public static class Numbers
        {
            public static double Mean(double[] xs)
            {
                double sum = 0;
                for (int i = 0; i < xs.Length; i++) sum += xs[i];
                return sum / xs.Length;
            }
        }
        """;

    // Fixes the bug with an unusual helper of its own.
    private const string Original = """
        public static class Numbers
        {
            public static double Mean(double[] xs) => Accumulate(xs, 0, 0.0) / xs.Length;

            private static double Accumulate(double[] values, int index, double total) =>
                index == values.Length ? total : Accumulate(values, index + 1, total + values[index]);
        }
        """;

    // The same, renamed, re-commented and re-laid-out.
    private const string Copy = """
        public static class Numbers
        {
            // average of the inputs
            public static double Mean(double[] xs) =>
                Fold(xs, 0, 0.0) / xs.Length;
            private static double Fold(double[] arr, int k, double acc)
                => k == arr.Length ? acc : Fold(arr, k + 1, acc + arr[k]);
        }
        """;

    // A different fix of its own.
    private const string Independent = """
        public static class Numbers
        {
            public static double Mean(double[] xs)
            {
                if (xs.Length == 0) throw new System.ArgumentException("empty");
                var total = 0.0;
                foreach (var x in xs) { total += x; }
                return total / xs.Length;
            }
        }
        """;

    private static FixFingerprint Fix(string who, string code) => FixSimilarity.Fingerprint(who,
        new Dictionary<string, string> { ["Numbers.cs"] = Starter },
        new Dictionary<string, string> { ["Numbers.cs"] = Reference },
        new Dictionary<string, string> { ["Numbers.cs"] = code });

    [Fact]
    public void The_reference_fix_itself_carries_no_signal()
    {
        var a = Fix("a", Reference);
        var b = Fix("b", Reference + "\n// done\n");
        Assert.Equal(0, a.EditTokens);
        var pair = Assert.Single(FixSimilarity.Compare([a, b]));
        Assert.False(pair.Flagged);
    }

    [Fact]
    public void A_renamed_and_reformatted_copy_is_flagged_and_an_independent_fix_is_not()
    {
        var pairs = FixSimilarity.Compare([Fix("original", Original), Fix("copy", Copy), Fix("independent", Independent)]);

        var copied = pairs.Single(p => p.A == "original" && p.B == "copy");
        Assert.True(copied.Flagged, $"score {copied.Score}");
        Assert.True(copied.Score >= 0.9);
        Assert.All(pairs.Where(p => p.A == "independent" || p.B == "independent"), p => Assert.False(p.Flagged, $"{p.A}/{p.B} {p.Score}"));
        Assert.Equal(copied, pairs[0]);
    }
}
