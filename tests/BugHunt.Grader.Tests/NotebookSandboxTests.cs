using System.Diagnostics;
using System.Text.Json;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit;
using Xunit.Abstractions;

namespace BugHunt.Grader.Tests;

/// <summary>The lab-screen starters and two sandboxes: one with a warm pool, as graders run, and one that starts every container cold.</summary>
public sealed class NotebookSandbox : IAsyncLifetime
{
    private static readonly ChallengePack LabScreen = PackLoader.Load(TestPacks.LabScreen);

    public DockerSandbox Warm { get; } = new(SandboxOptions.FromEnvironment() with { GraderId = "notebook-tests-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);

    public DockerSandbox Cold { get; } = new(SandboxOptions.FromEnvironment() with { GraderId = "notebook-tests-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);

    public Challenge Numerics { get; } = LabScreen.Challenges.Single(c => c.Id == "numerics-warmup");

    public Challenge Attention { get; } = LabScreen.Challenges.Single(c => c.Id == "causal-attention");

    public async Task InitializeAsync()
    {
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }
        var pool = Warm.StartPool(1, Numerics.Limits.MemoryMb)!;
        Assert.True(await pool.WaitUntilFullAsync(TimeSpan.FromSeconds(180), CancellationToken.None), "the warm pool never filled");
    }

    public Task DisposeAsync()
    {
        Warm.Dispose();
        Cold.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Containers of a sandbox's grader id still present.</summary>
    public static async Task<int> ContainersOfAsync(DockerSandbox sandbox)
    {
        await sandbox.RemovalsSettledAsync();
        using var docker = new DockerClientConfiguration(sandbox.Options.DockerEndpoint).CreateClient();
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DockerSandbox.GraderLabel}={sandbox.Options.GraderId}"] = true } },
        });
        return list.Count;
    }
}

/// <summary>
/// A candidate's notebook run in real sandboxes on the lab-screen starters: cells share one state,
/// report their own console, result, displays and failures, stream as they finish, and a cell that
/// loops, floods the console or breaks the policy ends the run without losing the cells before it.
/// </summary>
public sealed class NotebookSandboxTests(NotebookSandbox fixture, ITestOutputHelper output) : IClassFixture<NotebookSandbox>
{
    private static readonly string[] TrainingNotebook =
    [
        """
        var x = randn(16, 3, dtype: float64);
        var y = (x.sum(1) > 0).to(int64);
        var w = zeros(3, 2, dtype: float64, requires_grad: true);
        Console.WriteLine("data: " + x.shape[0] + " rows");
        """,
        """
        var losses = new List<double>();
        for (int step = 0; step < 20; step++)
        {
            var loss = Numerics.CrossEntropy(x.matmul(w), y);
            loss.backward();
            using (no_grad()) { w.sub_(w.grad * 0.5); w.grad.zero_(); }
            losses.Add(loss.item<double>());
            Plot("loss", step, losses[^1]);
        }
        losses.Count
        """,
        """
        Show(w, "weights");
        Console.WriteLine("first loss " + losses[0].ToString("F3"));
        x.shape[0]
        """,
        """
        Hist(x, 8, "inputs");
        Console.WriteLine("done");
        """,
    ];

    private Task<NotebookResult> RunAsync(Challenge challenge, IReadOnlyList<string> cells, List<CellResult>? streamed = null, SandboxLimits? limits = null, DockerSandbox? sandbox = null) =>
        (sandbox ?? fixture.Warm).RunNotebookAsync(challenge.StarterFiles, cells, 20_240_601, challenge.Rules, limits ?? challenge.Limits, cell => streamed?.Add(cell), CancellationToken.None);

    private static string Describe(NotebookResult r) =>
        $"{r.Outcome} {r.Reason} compile {r.Compile} {string.Join(" | ", r.Diagnostics.Select(d => $"{d.File}:{d.Line} {d.Message}"))}; "
        + string.Join("; ", r.Cells.Select(c => $"cell {c.Cell} {c.Status} {c.Failure?.Type} {c.Failure?.Message} {string.Join(" | ", c.Diagnostics.Select(d => d.Message))}"))
        + $"; detail {r.Detail}";

    [DockerFact]
    public async Task Four_cell_notebook_on_the_starter_trains_plots_shows_and_prints()
    {
        // Earlier tests may have taken the warm container: time a run that gets one.
        Assert.True(await fixture.Warm.Pool!.WaitUntilFullAsync(TimeSpan.FromSeconds(180), CancellationToken.None), "the warm pool did not refill");
        var streamed = new List<CellResult>();
        var (result, lastCellMs, callMs) = await TimedAsync(fixture.Warm, streamed);
        var (cold, coldLastCellMs, coldCallMs) = await TimedAsync(fixture.Cold, []);
        foreach (var (name, run, lastCell, call) in new[] { ("warm", result, lastCellMs, callMs), ("cold", cold, coldLastCellMs, coldCallMs) })
        {
            output.WriteLine($"4-cell notebook on numerics-warmup, {name} container (warm: {run.Warm}): last cell streamed after {lastCell:F0} ms, "
                + $"{run.WallMs:F0} ms wall (until the container exited), {call:F0} ms call to result (with its removal); files compiled in {run.CompileMs:F0} ms, "
                + $"cells {string.Join(" / ", run.Cells.Select(c => $"{c.CompileMs:F0}+{c.ElapsedMs:F0}"))} ms (compile+run)");
        }
        Assert.False(cold.Warm);
        Assert.Equal(result.Cells.Select(c => c.Displays.Sum(d => d.Values.Sum())), cold.Cells.Select(c => c.Displays.Sum(d => d.Values.Sum())));

        Assert.True(result.Outcome == NotebookOutcome.Completed, Describe(result));
        Assert.True(result.Warm);
        Assert.Equal(NotebookCompile.Ok, result.Compile);
        Assert.All(result.Cells, c => Assert.True(c.Status == CellStatus.Ok, Describe(result)));
        Assert.Equal(["data: 16 rows\n", "", $"first loss {Math.Log(2):F3}\n", "done\n"], result.Cells.Select(c => c.Console));
        Assert.Equal("20", result.Cells[1].Value);
        // Cell 3 sees cell 1's x.
        Assert.Equal("16", result.Cells[2].Value);

        var loss = Assert.Single(result.Cells[1].Displays);
        Assert.Equal((NotebookDisplayKinds.Line, "loss"), (loss.Kind, loss.Label));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), loss.X!);
        Assert.Equal(Math.Log(2), loss.Values[0], 9);
        Assert.All(loss.Values, v => Assert.True(double.IsFinite(v)));
        var weights = Assert.Single(result.Cells[2].Displays);
        Assert.Equal((NotebookDisplayKinds.Tensor, "weights", "float64"), (weights.Kind, weights.Label, weights.Dtype));
        Assert.Equal([3L, 2], weights.Shape!);
        Assert.Equal(6, weights.Values.Length);
        var hist = Assert.Single(result.Cells[3].Displays);
        Assert.Equal(48, hist.Values.Sum());
        Assert.Equal(9, hist.Edges!.Length);

        Assert.Equal(
            [(1, CellStatus.Running), (1, CellStatus.Ok), (2, CellStatus.Running), (2, CellStatus.Ok), (3, CellStatus.Running), (3, CellStatus.Ok), (4, CellStatus.Running), (4, CellStatus.Ok)],
            streamed.Select(c => (c.Cell, c.Status)));
        Assert.Equal(result.Cells[1], streamed[3]);
    }

    /// <summary>The training notebook's run, when its last cell was streamed and when the call returned (ms from the call).</summary>
    private async Task<(NotebookResult Result, double LastCellMs, double CallMs)> TimedAsync(DockerSandbox sandbox, List<CellResult> streamed)
    {
        var clock = Stopwatch.StartNew();
        var lastCell = 0.0;
        var result = await sandbox.RunNotebookAsync(fixture.Numerics.StarterFiles, TrainingNotebook, 20_240_601, fixture.Numerics.Rules, fixture.Numerics.Limits, cell =>
        {
            streamed.Add(cell);
            lastCell = clock.Elapsed.TotalMilliseconds;
        }, CancellationToken.None);
        return (result, lastCell, clock.Elapsed.TotalMilliseconds);
    }

    [DockerFact]
    public async Task Attention_weights_of_the_starter_show_as_a_causal_heatmap()
    {
        var result = await RunAsync(fixture.Attention,
        [
            """
            const int T = 5, D = 4;
            var x = randn(1, T, D, dtype: float64);
            var scores = x.matmul(x.transpose(-2, -1)) / Math.Sqrt(D);
            var future = tril(ones(T, T)).eq(0);
            var weights = nn.functional.softmax(scores.masked_fill(future, double.NegativeInfinity), -1);
            Heatmap(weights, "attention");
            """,
            """
            var layer = new CausalSelfAttention(12, 3);
            var y = layer.forward(randn(2, 5, 12));
            Show(y, "out");
            y.shape[2]
            """,
        ]);

        Assert.True(result.Outcome == NotebookOutcome.Completed, Describe(result));
        var heat = Assert.Single(result.Cells[0].Displays);
        Assert.Equal((NotebookDisplayKinds.Heatmap, "attention"), (heat.Kind, heat.Label));
        Assert.Equal([1L, 5, 5], heat.Shape!);
        Assert.Equal([5L, 5], heat.ValuesShape!);
        for (var row = 0; row < 5; row++)
        {
            Assert.Equal(1.0, heat.Values.Skip(row * 5).Take(5).Sum(), 12);
            Assert.All(heat.Values.Skip(row * 5 + row + 1).Take(4 - row), v => Assert.Equal(0.0, v));
        }
        Assert.Equal("12", result.Cells[1].Value);
        Assert.Equal([2L, 5, 12], result.Cells[1].Displays.Single().Shape!);
    }

    [DockerFact]
    public async Task Exception_reports_the_candidates_stack_with_its_frame_in_cell_2_and_skips_the_rest()
    {
        var result = await RunAsync(fixture.Numerics, ["var p = ones(3, dtype: float64);", "var t = ones(4, dtype: float64);\nvar loss = Numerics.MeanSquaredError(p, t);", "p.sum()"]);

        Assert.True(result.Outcome == NotebookOutcome.Completed, Describe(result));
        Assert.Equal([CellStatus.Ok, CellStatus.Exception, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        var failure = result.Cells[1].Failure!;
        Assert.Equal("System.ArgumentException", failure.Type);
        Assert.Contains("predictions have 3 values but targets have 4", failure.Message, StringComparison.Ordinal);
        var frames = failure.Stack!.Split('\n');
        Assert.Matches(@"^at Numerics\.MeanSquaredError \(Numerics\.cs:\d+\)$", frames[0]);
        Assert.Equal("at cell 2, line 2", frames[^1]);
        Assert.DoesNotContain("BugHunt.Runner", failure.Stack, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Infinite_loop_times_out_and_the_cells_before_it_are_kept()
    {
        var streamed = new List<CellResult>();
        var limits = new SandboxLimits(8, fixture.Numerics.Limits.MemoryMb);

        var result = await RunAsync(fixture.Numerics, ["var a = 41;\nConsole.WriteLine(\"before\");", "a + 1", "while (true) { }", "a"], streamed, limits, fixture.Cold);

        Assert.True(result.Outcome == NotebookOutcome.TimedOut, Describe(result));
        Assert.Equal("stopped at the 8 s time limit", result.Reason);
        Assert.Equal([CellStatus.Ok, CellStatus.Ok, CellStatus.Interrupted, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Equal("before\n", result.Cells[0].Console);
        Assert.Equal("42", result.Cells[1].Value);
        Assert.Equal((3, CellStatus.Running), (streamed[^1].Cell, streamed[^1].Status));
        Assert.Equal(0, await NotebookSandbox.ContainersOfAsync(fixture.Cold));
    }

    [DockerFact]
    public async Task Print_flood_hits_the_output_limit_and_ends_the_run()
    {
        var result = await RunAsync(fixture.Numerics, ["Console.WriteLine(\"first\");", "while (true) Console.Write(new string('x', 100_000));", "1"]);

        Assert.True(result.Outcome == NotebookOutcome.OutputLimit, Describe(result));
        Assert.Equal([CellStatus.Ok, CellStatus.OutputLimit, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        Assert.Equal("first\n", result.Cells[0].Console);
        Assert.True(result.Cells[1].ConsoleTruncated);
        Assert.Equal(fixture.Warm.Options.MaxConsoleChars, result.Cells[1].Console.Length);
    }

    [DockerFact]
    public async Task Policy_breaking_cell_is_refused_with_its_position_and_later_cells_are_skipped()
    {
        var result = await RunAsync(fixture.Numerics, ["var a = 1;", "var b = 2;\nvar s = System.IO.File.ReadAllText(\"/etc/passwd\");", "a + b"]);

        Assert.True(result.Outcome == NotebookOutcome.Completed, Describe(result));
        Assert.Equal([CellStatus.Ok, CellStatus.PolicyViolation, CellStatus.Skipped], result.Cells.Select(c => c.Status));
        var diagnostic = result.Cells[1].Diagnostics.First();
        Assert.Equal(("cell 2", 2), (diagnostic.File, diagnostic.Line));
        Assert.Contains("System.IO.File", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("file access", diagnostic.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task The_challenges_rules_hold_in_cells_too()
    {
        var result = await RunAsync(fixture.Numerics, ["var p = nn.functional.softmax(randn(3), 0);"]);

        Assert.Equal(CellStatus.PolicyViolation, result.Cells[0].Status);
        Assert.Contains("breaks a rule of this challenge", result.Cells[0].Diagnostics.Single().Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Files_that_do_not_compile_run_no_cell()
    {
        var files = fixture.Numerics.StarterFiles.ToDictionary(f => f.Key, f => f.Value.Replace("public static Tensor Softmax(", "public static Tensor Softmax(,", StringComparison.Ordinal));

        var result = await fixture.Warm.RunNotebookAsync(files, ["1"], 20_240_601, fixture.Numerics.Rules, fixture.Numerics.Limits, null, CancellationToken.None);

        Assert.True(result.Outcome == NotebookOutcome.Completed, Describe(result));
        Assert.Equal(NotebookCompile.CompileError, result.Compile);
        Assert.Contains(result.Diagnostics, d => d.File == "Numerics.cs" && d.Line > 1 && d.Column > 1);
        Assert.Equal(CellStatus.Skipped, Assert.Single(result.Cells).Status);
    }

    [DockerFact]
    public async Task The_job_sent_to_the_container_carries_no_probe_hidden_input_or_reference()
    {
        var challenge = fixture.Attention;
        var job = fixture.Warm.NotebookJobFor(challenge.StarterFiles, ["1 + 1"], 20_240_601, challenge.Rules);
        var json = JsonSerializer.Serialize(job, ProtocolJson.Options);
        using var document = JsonDocument.Parse(json);

        Assert.Equal(
            ["files", "max_console_chars", "max_output_chars", "nonce", "notebook", "probes", "rules"],
            document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, document.RootElement.GetProperty("probes").GetArrayLength());
        Assert.Equal(challenge.StarterFiles.Keys.Order(StringComparer.Ordinal), document.RootElement.GetProperty("files").EnumerateObject().Select(p => p.Name));
        Assert.All(challenge.Probes, p => Assert.DoesNotContain(p.Code.Trim(), json, StringComparison.Ordinal));
        Assert.All(challenge.ReferenceFiles.Where(f => challenge.StarterFiles[f.Key] != f.Value), f => Assert.DoesNotContain(JsonSerializer.Serialize(f.Value, ProtocolJson.Options), json, StringComparison.Ordinal));

        // The job asserted on is the job that runs; one that carries a probe is never sent.
        var result = await fixture.Warm.RunNotebookAsync(job, challenge.Limits, null, CancellationToken.None);
        Assert.Equal("2", result.Cells.Single().Value);
        var probe = new CompiledProbe("forward", [1], "T", "M", []) { Hidden = true };
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Warm.RunNotebookAsync(job with { Probes = [probe] }, challenge.Limits, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Warm.RunNotebookAsync(job with { CompileProbes = challenge.Probes }, challenge.Limits, null, CancellationToken.None));
    }
}
