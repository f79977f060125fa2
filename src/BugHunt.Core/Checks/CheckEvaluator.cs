using System.Globalization;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Checks;

/// <summary>What a check found, with the diagnostics a candidate can debug from (public tests only).</summary>
public sealed record CheckOutcome(bool Passed, string Message, CheckDiagnostics? Diagnostics = null);

/// <remarks>The values are a candidate's output and may be NaN or ±Infinity; they are written as those strings, numbers otherwise.</remarks>
[System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record CheckDiagnostics(
    double? MaxAbsError = null,
    double? MaxRelError = null,
    long[]? FirstMismatchIndex = null,
    double? Actual = null,
    double? Expected = null,
    long[]? ActualShape = null,
    long[]? ExpectedShape = null,
    double[]? ActualSeries = null,
    double[]? ExpectedSeries = null);

/// <summary>Decides one check on the host, from observations only.</summary>
public static class CheckEvaluator
{
    /// <summary>One-dimensional values up to this length are returned whole with a comparison, for charts.</summary>
    public const int MaxSeriesLength = 256;

    public static CheckOutcome Evaluate(CheckSpec check, IReadOnlyDictionary<string, Observation> actual, IReadOnlyDictionary<string, Observation>? reference) =>
        check.Kind switch
        {
            CheckKind.Tensor => CompareWithReference(check, actual, reference),
            CheckKind.Equal => Require(actual, check.Left!, left => Require(actual, check.Right!, right => Compare(left, right, check, $"'{check.Left}' and '{check.Right}'"))),
            CheckKind.Threshold => Require(actual, check.Observation!, o => Threshold(o, check)),
            CheckKind.Bool => Require(actual, check.Observation!, o => o.Values is [1]
                ? new CheckOutcome(true, $"'{o.Name}' is true")
                : new CheckOutcome(false, $"'{o.Name}' is false")),
            _ => throw new ArgumentOutOfRangeException(nameof(check), check.Kind, "unknown check kind"),
        };

    private static CheckOutcome CompareWithReference(CheckSpec check, IReadOnlyDictionary<string, Observation> actual, IReadOnlyDictionary<string, Observation>? reference)
    {
        var name = check.Observation!;
        if (reference is null || !reference.TryGetValue(name, out var expected))
        {
            // The pack's reference did not report it: an authoring fault, caught by pack validation.
            return new CheckOutcome(false, $"the reference solution reported no observation '{name}'");
        }
        return Require(actual, name, a => Compare(a, expected, check, $"'{name}' against the reference"));
    }

    private static CheckOutcome Require(IReadOnlyDictionary<string, Observation> observations, string name, Func<Observation, CheckOutcome> then) =>
        observations.TryGetValue(name, out var o) ? then(o) : new CheckOutcome(false, $"no value '{name}' was produced");

    /// <summary>numpy-style allclose with shape check, NaN policy and the first mismatch located.</summary>
    public static CheckOutcome Compare(Observation actual, Observation expected, CheckSpec check, string what)
    {
        if (!actual.Shape.SequenceEqual(expected.Shape))
        {
            return new CheckOutcome(false, $"{what}: shape {Shape(actual.Shape)} differs from expected {Shape(expected.Shape)}",
                new CheckDiagnostics(ActualShape: actual.Shape, ExpectedShape: expected.Shape));
        }
        if (actual.Values.Length != expected.Values.Length)
        {
            return new CheckOutcome(false, $"{what}: {actual.Values.Length} values where {expected.Values.Length} were expected");
        }
        double maxAbs = 0, maxRel = 0;
        var firstMismatch = -1;
        for (var i = 0; i < actual.Values.Length; i++)
        {
            double a = actual.Values[i], e = expected.Values[i];
            bool ok;
            if (double.IsNaN(a) || double.IsNaN(e))
            {
                ok = check.NanEqual && double.IsNaN(a) && double.IsNaN(e);
                if (!ok)
                {
                    maxAbs = double.NaN;
                }
            }
            else if (double.IsInfinity(a) || double.IsInfinity(e))
            {
                ok = a.Equals(e);
                if (!ok)
                {
                    maxAbs = double.PositiveInfinity;
                }
            }
            else
            {
                var abs = Math.Abs(a - e);
                ok = abs <= check.Atol + (check.Rtol * Math.Abs(e));
                if (!double.IsNaN(maxAbs))
                {
                    maxAbs = Math.Max(maxAbs, abs);
                }
                if (e != 0)
                {
                    maxRel = Math.Max(maxRel, abs / Math.Abs(e));
                }
            }
            if (!ok && firstMismatch < 0)
            {
                firstMismatch = i;
            }
        }
        // A short curve (a loss per step, say) travels whole, so it can be drawn next to the expected one.
        var curve = actual.Shape.Length == 1 && actual.Values.Length is >= 2 and <= MaxSeriesLength;
        var actualSeries = curve ? actual.Values : null;
        var expectedSeries = curve ? expected.Values : null;
        if (firstMismatch < 0)
        {
            return new CheckOutcome(true, $"{what}: all {actual.Values.Length} values within rtol={F(check.Rtol)}, atol={F(check.Atol)}",
                new CheckDiagnostics(MaxAbsError: maxAbs, MaxRelError: maxRel, ActualSeries: actualSeries, ExpectedSeries: expectedSeries));
        }
        var index = Unravel(firstMismatch, actual.Shape);
        return new CheckOutcome(false,
            $"{what}: mismatch at index {Shape(index)}: got {F(actual.Values[firstMismatch])}, expected {F(expected.Values[firstMismatch])}; max abs error {F(maxAbs)}, max rel error {F(maxRel)}",
            new CheckDiagnostics(maxAbs, maxRel, index, actual.Values[firstMismatch], expected.Values[firstMismatch], ActualSeries: actualSeries, ExpectedSeries: expectedSeries));
    }

    private static CheckOutcome Threshold(Observation o, CheckSpec check)
    {
        if (o.Values.Length != 1)
        {
            return new CheckOutcome(false, $"'{o.Name}' must be a single number, got {o.Values.Length} values");
        }
        var v = o.Values[0];
        var ok = !double.IsNaN(v) && (check.Below is not { } below || v < below) && (check.Above is not { } above || v > above);
        var bound = (check.Below, check.Above) switch
        {
            ({ } b, { } a) => $"between {F(a)} and {F(b)}",
            ({ } b, null) => $"below {F(b)}",
            (null, { } a) => $"above {F(a)}",
            _ => "",
        };
        return new CheckOutcome(ok, $"'{o.Name}' = {F(v)}, must be {bound}", new CheckDiagnostics(Actual: v));
    }

    internal static long[] Unravel(int flat, long[] shape)
    {
        var index = new long[shape.Length];
        long rest = flat;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return index;
    }

    private static string Shape(long[] shape) => "(" + string.Join(", ", shape) + ")";

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
