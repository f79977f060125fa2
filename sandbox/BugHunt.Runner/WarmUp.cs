using BugHunt.Core.Sandbox;

namespace BugHunt.Runner;

/// <summary>
/// Loads and JITs Roslyn, the scripting engine and TorchSharp's native libraries with a tiny
/// submission and probe, built and run the way a real job is (probe compiled against a
/// "reference", then run against a submission in its own load context) and a two-cell notebook (a
/// display, an exception with its stack), so a pooled runner grades or runs its real job at warm
/// speed. Nothing of the warm-up is observable by the job: its load contexts are separate, and the
/// seed and thread count are reset before every probe and notebook anyway.
/// </summary>
internal static class WarmUp
{
    private const string Source = """
        using TorchSharp;
        using static TorchSharp.torch;
        public static class WarmUpSubject
        {
            public static Tensor Twice(Tensor x) => nn.functional.softmax(x * 2, -1);
        }
        """;

    private const string Probe = """
        using static TorchSharp.torch;
        using (var scope = NewDisposeScope())
        {
            var x = randn(2, 3, dtype: float64, requires_grad: true);
            var y = WarmUpSubject.Twice(x).sum();
            y.backward();
            Observe("y", y);
        }
        """;

    private static readonly string[] Cells =
    [
        "var x = randn(2, 3, dtype: float64);\nPlot(\"warm\", 0, 1);\nShow(x);\nx.sum()",
        "WarmUpSubject.Twice(x).view(7, 7)",
    ];

    /// <summary>Twice: the second pass runs what the first one only loaded.</summary>
    public static void Run()
    {
        Once();
        Once();
    }

    /// <summary>
    /// Runs a primer job (a challenge's starter under its probes, from the public seed) so the
    /// real job of that challenge finds its compiler paths, TorchSharp operations and probe shapes
    /// already compiled. Everything it prints or reports is discarded, and a primer that fails in
    /// any way only leaves the runner less warm: the job's state is reset before each probe anyway.
    /// </summary>
    public static void Prime(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        var (stdout, stderr) = (Console.Out, Console.Error);
        try
        {
            var primer = System.Text.Json.JsonSerializer.Deserialize<SandboxJob>(line, ProtocolJson.Options);
            if (primer is null)
            {
                return;
            }
            var sink = new CappedWriter(primer.MaxConsoleChars, primer.MaxOutputChars);
            Console.SetOut(sink);
            Console.SetError(sink);
            var outcome = SubmissionCompiler.Compile(primer.Files, primer.Rules);
            if (outcome.Submission is not null)
            {
                ProbeRunner.Run(outcome.Submission, primer.Probes, sink.TakeNew, _ => { });
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the job itself is unaffected.
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    private static void Once()
    {
        var outcome = SubmissionCompiler.Compile(new Dictionary<string, string> { ["WarmUp.cs"] = Source }, SubmissionRules.None, withSymbols: true);
        if (outcome.Submission is null)
        {
            throw new InvalidOperationException("warm-up did not compile: " + string.Join("; ", outcome.Errors.Select(e => e.Message)));
        }
        var (probe, error) = ProbeCompiler.Compile(outcome.Submission, new ProbeSource("warm-up", Probe));
        if (probe is null)
        {
            throw new InvalidOperationException("warm-up probe did not compile: " + error);
        }
        ProbeRunner.Run(outcome.Submission, [probe with { Seed = 1 }], () => default, _ => { });
        NotebookRunner.Run(outcome.Submission, new NotebookSpec(Cells, 1), SubmissionRules.None, () => default, () => false, 0, _ => { });
    }
}
