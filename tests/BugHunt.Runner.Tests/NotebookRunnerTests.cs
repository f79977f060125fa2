using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Runner.Tests;

/// <summary>Tests that point the process's console at a capped writer run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>
/// A notebook run in process, as the runner does it in the sandbox: one script state across the
/// cells, each cell's own console, result, failure and displays, the run ended by the first cell
/// that fails, and the display caps applied without failing anything.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class NotebookRunnerTests
{
    private const long Seed = 20_240_601;

    private static List<RunnerEvent> Run(IReadOnlyList<string> cells, long maxOutput = 1_000_000, int keep = 16 * 1024)
    {
        var console = new CappedWriter(keep, maxOutput, keepPerTake: true);
        var previous = Console.Out;
        Console.SetOut(console);
        var events = new List<RunnerEvent>();
        try
        {
            NotebookRunner.Run(CellPolicyTests.Submission, new NotebookSpec(cells, Seed), SubmissionRules.None, console.TakeNew, () => console.LimitExceeded, maxOutput, events.Add);
        }
        finally
        {
            Console.SetOut(previous);
        }
        return events;
    }

    private static List<RunnerEvent> Finished(List<RunnerEvent> events) => [.. events.Where(e => e.Type == RunnerEventTypes.CellFinished)];

    /// <summary>The finished cells of a run in which every cell must end ok.</summary>
    private static List<RunnerEvent> RunOk(params string[] cells)
    {
        var finished = Finished(Run(cells));
        Assert.Equal(cells.Length, finished.Count);
        Assert.All(finished, c => Assert.True(c.Status == CellStatuses.Ok, Describe(c)));
        return finished;
    }

    private static string Describe(RunnerEvent e) =>
        $"cell {e.Cell} {e.Status}: {e.Failure?.Type} {e.Failure?.Message} {string.Join(" | ", (e.Diagnostics ?? []).Select(d => d.Message))}";

    [Fact]
    public void A_later_cell_sees_the_variables_of_earlier_cells()
    {
        var cells = RunOk("var a = 20;", "var b = a + 1;\nConsole.WriteLine(\"b is \" + b);", "a + b");

        Assert.Equal([1, 2, 3], cells.Select(c => c.Cell!.Value));
        Assert.Equal("41", cells[2].Value);
        Assert.Null(cells[0].Value);
        Assert.Equal(["", "b is 21\n", ""], cells.Select(c => c.Console));
    }

    [Fact]
    public void Events_come_started_then_finished_for_each_cell_in_order()
    {
        var events = Run(["var x = 1;", "x + 1"]);

        Assert.Equal(
            [(RunnerEventTypes.CellStarted, 1), (RunnerEventTypes.CellFinished, 1), (RunnerEventTypes.CellStarted, 2), (RunnerEventTypes.CellFinished, 2)],
            events.Select(e => (e.Type, e.Cell!.Value)));
    }

    [Fact]
    public void Cells_start_from_the_seed_so_a_run_repeats_exactly()
    {
        string[] cells = ["var t = randn(4);", "Seed + \" \" + string.Join(\",\", t.data<float>().ToArray())"];

        var first = Finished(Run(cells))[1].Value;
        var second = Finished(Run(cells))[1].Value;

        Assert.StartsWith(Seed + " ", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Exception_reports_the_candidates_frames_in_cells_and_files()
    {
        var cells = Finished(Run(["double Checked(double v) => Model.Scale(v);", "var ok = Checked(1);\nvar bad = Checked(-1);", "var never = 1;"]));

        Assert.Equal(2, cells.Count);
        var failed = cells[1];
        Assert.Equal(CellStatuses.Exception, failed.Status);
        Assert.Equal("System.ArgumentException", failed.Failure!.Type);
        Assert.Equal("negative scale", failed.Failure.Message);
        var stack = failed.Failure.Stack!.Split('\n');
        Assert.Equal(["at Model.Scale (Model.cs:9)", "at Checked (cell 1, line 1)", "at cell 2, line 2"], stack);
    }

    [Fact]
    public void Libtorch_errors_keep_their_message_without_the_native_backtrace()
    {
        var failed = Finished(Run(["var t = ones(2, 3);\nt.view(7, 7)"])).Single();

        Assert.Equal(CellStatuses.Exception, failed.Status);
        Assert.Contains("shape '[7, 7]' is invalid for input of size 6", failed.Failure!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("frame #", failed.Failure.Message, StringComparison.Ordinal);
        Assert.Equal("at cell 1, line 2", failed.Failure.Stack);
    }

    [Fact]
    public void A_refused_cell_stops_the_run_and_later_cells_never_start()
    {
        var events = Run(["var a = 1;", "var s = System.IO.File.ReadAllText(\"/etc/passwd\");", "a + 1"]);

        Assert.DoesNotContain(events, e => e.Cell == 3);
        var refused = Finished(events)[1];
        Assert.Equal(CellStatuses.PolicyViolation, refused.Status);
        Assert.Equal(("cell 2", 1), (refused.Diagnostics![0].File, refused.Diagnostics[0].Line));
    }

    [Fact]
    public void A_cell_that_does_not_compile_stops_the_run()
    {
        var events = Run(["var a = 1;", "var b = a +;", "a"]);

        Assert.DoesNotContain(events, e => e.Cell == 3);
        Assert.Equal(CellStatuses.CompileError, Finished(events)[1].Status);
    }

    [Fact]
    public void Printing_past_the_output_limit_stops_the_run_even_when_the_cell_catches_it()
    {
        var events = Run(["Console.Write(\"hello\");", "try { while (true) Console.Write(new string('x', 1000)); } catch (Exception) { }", "1"], maxOutput: 20_000, keep: 100);

        Assert.DoesNotContain(events, e => e.Cell == 3);
        var cells = Finished(events);
        Assert.Equal("hello", cells[0].Console);
        Assert.Equal(CellStatuses.OutputLimit, cells[1].Status);
        Assert.Equal("OutputLimitExceeded", cells[1].Failure!.Type);
        Assert.Equal(100, cells[1].Console!.Length);
        Assert.True(cells[1].ConsoleTruncated);
    }

    [Fact]
    public void Helpers_make_displays_that_go_out_with_their_cell()
    {
        var cells = RunOk(
            "var w = tensor(new double[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);",
            "for (int step = 0; step < 20; step++) Plot(\"loss\", step, 1.0 / (step + 1));\nShow(w, \"w\");",
            "Hist(arange(10, dtype: float64), bins: 5, label: \"h\");\nHeatmap(w.unsqueeze(0), \"attn\");\nTable(\"m\", (\"step\", 1), (\"loss\", 0.5));\nTable(\"m\", (\"step\", 2), (\"loss\", 0.25));",
            "Plot(\"loss\", 20, 0.01);");

        Assert.Empty(cells[0].Displays!);
        var line = cells[1].Displays![0];
        Assert.Equal((NotebookDisplayKinds.Line, "loss", 20), (line.Kind, line.Label, line.Values.Length));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), line.X!);
        Assert.Equal(0.05, line.Values[19], 12);
        var shown = cells[1].Displays![1];
        Assert.Equal((NotebookDisplayKinds.Tensor, "w", "float64"), (shown.Kind, shown.Label, shown.Dtype));
        Assert.Equal([2L, 3], shown.Shape!);
        Assert.Equal([2L, 3], shown.ValuesShape!);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], shown.Values);
        Assert.Equal(new TensorStats(1, 6, 3.5, Math.Sqrt(35.0 / 12), 0, 0), shown.Stats);
        Assert.False(shown.Truncated);

        var (hist, heat, table) = (cells[2].Displays![0], cells[2].Displays![1], cells[2].Displays![2]);
        Assert.Equal([2.0, 2, 2, 2, 2], hist.Values);
        Assert.Equal([0, 1.8, 3.6, 5.4, 7.2, 9], hist.Edges!.Select(e => Math.Round(e, 9)));
        Assert.Equal((NotebookDisplayKinds.Heatmap, "attn"), (heat.Kind, heat.Label));
        Assert.Equal([1L, 2, 3], heat.Shape!);
        Assert.Equal([2L, 3], heat.ValuesShape!);
        Assert.Equal(["step", "loss"], table.Columns!);
        Assert.Equal([1.0, 0.5, 2, 0.25], table.Values);
        Assert.Equal([2L, 2], table.ValuesShape!);

        var continued = Assert.Single(cells[3].Displays!);
        Assert.Equal("loss", continued.Label);
        Assert.Equal([20.0], continued.X!);
    }

    [Fact]
    public void Show_previews_the_first_rows_and_columns_of_a_large_tensor()
    {
        var shown = Finished(Run(["Show(arange(3 * 20 * 30, dtype: float64).reshape(3, 20, 30));"]))[0].Displays!.Single();

        Assert.Equal([3L, 20, 30], shown.Shape!);
        Assert.Equal([10L, 10], shown.ValuesShape!);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9], shown.Values[..10]);
        Assert.Equal(30, shown.Values[10]);
        Assert.True(shown.Truncated);
        Assert.Equal(3 * 20 * 30 - 1, shown.Stats!.Max);
    }

    [Fact]
    public void Past_the_caps_displays_are_dropped_and_marked_never_failing_the_cell()
    {
        var cells = RunOk(
            "for (int i = 0; i < 6000; i++) Plot(\"many\", i, i);",
            "for (int s = 0; s < 25; s++) Plot(\"s\" + s, 0, s);",
            "for (int i = 0; i < 60; i++) Show(ones(2));",
            "Heatmap(ones(100, 80));\nHist(ones(5), bins: 1000);");

        var many = cells[0].Displays!.Single();
        Assert.Equal(NotebookLimits.MaxPoints, many.Values.Length);
        Assert.True(many.Truncated);
        // The point cap is spent: new series still count as series, with no points.
        Assert.Equal(NotebookLimits.MaxSeries - 1, cells[1].Displays!.Count);
        Assert.True(cells[1].DisplaysTruncated);
        Assert.All(cells[1].Displays!, d => Assert.Empty(d.Values));
        Assert.Equal(NotebookLimits.MaxDisplays - NotebookLimits.MaxSeries, cells[2].Displays!.Count);
        Assert.True(cells[2].DisplaysTruncated);
        Assert.Empty(cells[3].Displays!);
        Assert.True(cells[3].DisplaysTruncated);
    }

    [Fact]
    public void Heatmap_of_a_large_matrix_is_capped_and_marked()
    {
        var cells = Finished(Run(["Heatmap(ones(100, 80));\nHist(randn(50), bins: 1000);"]));

        var (heat, hist) = (cells[0].Displays![0], cells[0].Displays![1]);
        Assert.Equal([64L, 64], heat.ValuesShape!);
        Assert.True(heat.Truncated);
        Assert.Equal(NotebookLimits.MaxBins, hist.Values.Length);
        Assert.True(hist.Truncated);
        Assert.Equal(50, hist.Values.Sum());
    }

    [Fact]
    public void Heatmap_of_a_tensor_that_is_no_matrix_is_the_cells_exception()
    {
        var failed = Finished(Run(["Heatmap(ones(2, 3, 4));"])).Single();

        Assert.Equal(CellStatuses.Exception, failed.Status);
        Assert.Contains("Heatmap shows a matrix", failed.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("at cell 1, line 1", failed.Failure.Stack);
    }

    public static TheoryData<string, string> Values => new()
    {
        { "1.5 * 2", "3" },
        { "\"text\"", "text" },
        { "new List<double> { 1, 2.5 }", "[1, 2.5]" },
        { "Enumerable.Range(0, 1000)", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, …]" },
        { "tensor(new double[] { 1, 2 })", "tensor [2] float64\n[1, 2]" },
        { "class Loud { public override string ToString() => throw new InvalidOperationException(\"no\"); }\nnew Loud()", "(the value could not be shown: InvalidOperationException)" },
        { "var t = ones(2);\nt.Dispose();\nt", "(the value could not be shown: InvalidOperationException)" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_cells_result_is_shown_as_bounded_text(string cell, string expected)
    {
        Assert.Equal(expected, RunOk(cell).Single().Value);
    }

    [Fact]
    public void A_huge_result_is_cut()
    {
        var value = Finished(Run(["new string('x', 1_000_000)"])).Single().Value!;

        Assert.Equal(NotebookLimits.MaxValueChars, value.Length);
        Assert.EndsWith("…", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Usings_and_empty_cells_carry_on()
    {
        var cells = RunOk("using System.Text;", "", "// a note", "new StringBuilder(\"a\").Append('b').ToString()");

        Assert.Equal("ab", cells[3].Value);
    }
}
