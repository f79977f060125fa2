using BugHunt.Core.Checks;
using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Core.Tests;

public class CheckEvaluatorTests
{
    private static Observation Tensor(string name, long[] shape, params double[] values) => new(name, "tensor", "float64", shape, values);

    private static Dictionary<string, Observation> Of(params Observation[] observations) => observations.ToDictionary(o => o.Name);

    [Fact]
    public void Tensor_within_tolerance_passes_and_reports_the_max_error()
    {
        var check = new CheckSpec(CheckKind.Tensor, Observation: "out", Rtol: 1e-6, Atol: 1e-8);
        var outcome = CheckEvaluator.Evaluate(check, Of(Tensor("out", [2], 1.0, 2.0 + 1e-9)), Of(Tensor("out", [2], 1.0, 2.0)));
        Assert.True(outcome.Passed, outcome.Message);
        Assert.InRange(outcome.Diagnostics!.MaxAbsError!.Value, 0.9e-9, 1.1e-9);
    }

    [Fact]
    public void Tensor_mismatch_names_the_first_mismatching_multi_index()
    {
        var check = new CheckSpec(CheckKind.Tensor, Observation: "out");
        var expected = Tensor("out", [2, 3], 0, 1, 2, 3, 4, 5);
        var actual = Tensor("out", [2, 3], 0, 1, 2, 3, 4.5, 9);
        var outcome = CheckEvaluator.Evaluate(check, Of(actual), Of(expected));
        Assert.False(outcome.Passed);
        Assert.Equal([1L, 1L], outcome.Diagnostics!.FirstMismatchIndex!);
        Assert.Equal(4, outcome.Diagnostics.MaxAbsError);
        Assert.Contains("(1, 1)", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_curve_travels_whole_for_charting_and_a_matrix_or_long_vector_does_not()
    {
        var check = new CheckSpec(CheckKind.Tensor, Observation: "losses", Rtol: 1e-3);
        var outcome = CheckEvaluator.Evaluate(check, Of(Tensor("losses", [3], 2.0, 1.5, 1.4)), Of(Tensor("losses", [3], 2.0, 1.2, 0.9)));
        Assert.False(outcome.Passed);
        Assert.Equal([2.0, 1.5, 1.4], outcome.Diagnostics!.ActualSeries!);
        Assert.Equal([2.0, 1.2, 0.9], outcome.Diagnostics.ExpectedSeries!);

        var matrix = CheckEvaluator.Evaluate(check, Of(Tensor("losses", [1, 2], 1, 2)), Of(Tensor("losses", [1, 2], 1, 3)));
        Assert.Null(matrix.Diagnostics!.ActualSeries);
        var length = CheckEvaluator.MaxSeriesLength + 1;
        var longVector = CheckEvaluator.Evaluate(check, Of(Tensor("losses", [length], new double[length])), Of(Tensor("losses", [length], new double[length])));
        Assert.True(longVector.Passed);
        Assert.Null(longVector.Diagnostics!.ExpectedSeries);
    }

    [Fact]
    public void Tensor_with_a_different_shape_fails_with_both_shapes()
    {
        var outcome = CheckEvaluator.Evaluate(new CheckSpec(CheckKind.Tensor, Observation: "out"),
            Of(Tensor("out", [3, 2], 0, 1, 2, 3, 4, 5)), Of(Tensor("out", [2, 3], 0, 1, 2, 3, 4, 5)));
        Assert.False(outcome.Passed);
        Assert.Contains("shape (3, 2) differs from expected (2, 3)", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_fails_unless_the_check_allows_matching_NaNs()
    {
        var actual = Of(Tensor("out", [2], double.NaN, 1));
        var expected = Of(Tensor("out", [2], double.NaN, 1));
        Assert.False(CheckEvaluator.Evaluate(new CheckSpec(CheckKind.Tensor, Observation: "out"), actual, expected).Passed);
        Assert.True(CheckEvaluator.Evaluate(new CheckSpec(CheckKind.Tensor, Observation: "out", NanEqual: true), actual, expected).Passed);
    }

    [Fact]
    public void Missing_observation_fails_with_its_name()
    {
        var outcome = CheckEvaluator.Evaluate(new CheckSpec(CheckKind.Tensor, Observation: "out"), Of(), Of(Tensor("out", [1], 1)));
        Assert.False(outcome.Passed);
        Assert.Contains("'out'", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_compares_two_observations_of_the_same_run()
    {
        var check = new CheckSpec(CheckKind.Equal, Left: "a", Right: "b", Rtol: 0, Atol: 1e-10);
        Assert.True(CheckEvaluator.Evaluate(check, Of(Tensor("a", [2], 1, 2), Tensor("b", [2], 1, 2)), null).Passed);
        Assert.False(CheckEvaluator.Evaluate(check, Of(Tensor("a", [2], 1, 2), Tensor("b", [2], 1, 2.001)), null).Passed);
    }

    [Theory]
    [InlineData(0.05, true)]
    [InlineData(0.1, false)]
    [InlineData(double.NaN, false)]
    public void Threshold_below_is_strict_and_rejects_NaN(double loss, bool passes)
    {
        var check = new CheckSpec(CheckKind.Threshold, Observation: "loss", Below: 0.1);
        var outcome = CheckEvaluator.Evaluate(check, Of(new Observation("loss", "scalar", "float64", [], [loss])), null);
        Assert.Equal(passes, outcome.Passed);
    }

    [Fact]
    public void Bool_check_needs_true()
    {
        var check = new CheckSpec(CheckKind.Bool, Observation: "ok");
        Assert.True(CheckEvaluator.Evaluate(check, Of(new Observation("ok", "bool", "bool", [], [1])), null).Passed);
        Assert.False(CheckEvaluator.Evaluate(check, Of(new Observation("ok", "bool", "bool", [], [0])), null).Passed);
    }
}
