using BugHunt.Core.Grading;
using BugHunt.Grader.Grading;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Grader.Tests;

/// <summary>
/// Code written by someone with a reason to cheat. Each attack must get its exact verdict, leave no
/// container behind, and not disturb the grading of the next, ordinary submission.
/// </summary>
public sealed class HostileSubmissionTests(EchoSandbox echo) : IClassFixture<EchoSandbox>
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing TorchSharp;\nusing static TorchSharp.torch;\n";

    /// <summary>A Solution whose Run method has the given body.</summary>
    private static string Body(string body) => Usings + "public static class Solution\n{\n    public static Tensor Run(Tensor x)\n    {\n        " + body + "\n    }\n}\n";

    /// <summary>A Solution with extra members and a Run that returns the right answer after calling Attack(x).</summary>
    private static string Members(string members) => Usings + "public static class Solution\n{\n    " + members + "\n    public static Tensor Run(Tensor x)\n    {\n        Attack(x);\n        return x * 2;\n    }\n}\n";

    public static TheoryData<string, string, VerdictKind, string> Attacks => new()
    {
        { "infinite loop", Body("while (true) { }"), VerdictKind.TimeLimit, "time limit" },
        { "long computation", Body("double s = 0; for (long i = 0; i < long.MaxValue; i++) s += Math.Sqrt(i); return x * s;"), VerdictKind.TimeLimit, "time limit" },
        { "sleep past the limit", Body("System.Threading.Thread.Sleep(60000); return x * 2;"), VerdictKind.PolicyViolation, "System.Threading.Thread" },
        { "thread storm", Body("for (int i = 0; i < 1000; i++) new System.Threading.Thread(() => { while (true) { } }).Start(); return x * 2;"), VerdictKind.PolicyViolation, "threads" },
        { "parallel storm", Body("System.Threading.Tasks.Parallel.For(0, 1000, i => { }); return x * 2;"), VerdictKind.PolicyViolation, "threads" },
        { "managed memory bomb", Body("var hoard = new List<double[]>(); while (true) hoard.Add(new double[10_000_000]);"), VerdictKind.MemoryLimit, "memory" },
        { "huge tensor", Body("var big = zeros(new long[] { 100_000, 100_000 }, dtype: float64); return x * 2 + big.sum();"), VerdictKind.MemoryLimit, "memory" },
        { "native memory leak", Body("var keep = new List<Tensor>(); while (true) keep.Add(ones(1_000_000, dtype: float64));"), VerdictKind.MemoryLimit, "memory" },
        { "disk fill", Body("System.IO.File.WriteAllBytes(\"/tmp/fill\", new byte[1 << 30]); return x * 2;"), VerdictKind.PolicyViolation, "file access" },
        { "huge stdout", Body("while (true) Console.Write(new string('x', 100_000));"), VerdictKind.OutputLimit, "output limit" },
        { "Environment.Exit", Body("Environment.Exit(0); return x * 2;"), VerdictKind.PolicyViolation, "System.Environment" },
        { "Environment.FailFast", Body("Environment.FailFast(\"bye\"); return x * 2;"), VerdictKind.PolicyViolation, "System.Environment" },
        { "stack overflow", Members("static int Down(int n) => Down(n + 1) + 1;\n    static void Attack(Tensor x) => Down(0);"), VerdictKind.RuntimeError, "runner crashed during the public tests" },
        { "use of a disposed tensor", Body("var y = x * 2; y.Dispose(); return y + 1;"), VerdictKind.RuntimeError, "Tensor invalid" },
        { "bad tensor operation", Body("return x.view(7, 7);"), VerdictKind.RuntimeError, "shape" },
        { "reflection into the runner", Body("var runner = typeof(Solution).Assembly; return x * 2;"), VerdictKind.PolicyViolation, "reflection" },
        { "reflection through GetType", Body("var m = x.GetType().GetMethod(\"ToString\"); return x * 2;"), VerdictKind.PolicyViolation, "reflection" },
        { "P/Invoke", Members("[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();\n    static void Attack(Tensor x) => getpid();"), VerdictKind.PolicyViolation, "native" },
        { "unsafe code", Body("unsafe { int* p = null; } return x * 2;"), VerdictKind.PolicyViolation, "unsafe" },
        { "process start", Body("System.Diagnostics.Process.Start(\"/bin/sh\"); return x * 2;"), VerdictKind.PolicyViolation, "processes" },
        { "read /etc/passwd", Body("var s = System.IO.File.ReadAllText(\"/etc/passwd\"); return x * 2;"), VerdictKind.PolicyViolation, "file access" },
        { "read the probes", Body("var s = System.IO.Directory.GetFiles(\"/\"); return x * 2;"), VerdictKind.PolicyViolation, "file access" },
        { "network connect", Body("new System.Net.Sockets.TcpClient(\"127.0.0.1\", 5432); return x * 2;"), VerdictKind.PolicyViolation, "network" },
        { "static constructor loop", Usings + "public static class Solution\n{\n    static Solution() { while (true) { } }\n    public static Tensor Run(Tensor x) => x * 2;\n}\n", VerdictKind.TimeLimit, "time limit" },
        { "static constructor throws", Usings + "public static class Solution\n{\n    static Solution() { throw new InvalidOperationException(\"boom\"); }\n    public static Tensor Run(Tensor x) => x * 2;\n}\n", VerdictKind.RuntimeError, "TypeInitializationException" },
        { "tampering with Console", Body("Console.SetOut(Console.Error); return x * 2;"), VerdictKind.PolicyViolation, "Console.SetOut" },
        { "throwing finalizer", Usings + "public sealed class Bomb { ~Bomb() { throw new Exception(\"from the finalizer\"); } }\npublic static class Solution\n{\n    public static Tensor Run(Tensor x) { new Bomb(); return x * 2; }\n}\n", VerdictKind.PolicyViolation, "finalizers" },
        { "dynamic", Body("dynamic d = x; return d * 2;"), VerdictKind.PolicyViolation, "dynamic" },
        { "environment variables", Body("var home = Environment.GetEnvironmentVariable(\"HOME\"); return x * 2;"), VerdictKind.PolicyViolation, "System.Environment" },
        { "GC tampering", Body("GC.Collect(); return x * 2;"), VerdictKind.PolicyViolation, "System.GC" },
        { "torch save to disk", Body("x.save(\"/tmp/x.pt\"); return x * 2;"), VerdictKind.PolicyViolation, "writes files" },
        { "TorchScript print on the protocol descriptor", Body("var cu = jit.compile(\"def f(x):\\n    print(x)\\n    return x\\n\"); return x * 2;"), VerdictKind.PolicyViolation, "TorchSharp" },
        { "look-alike StructLayoutAttribute", Usings + "namespace System.Runtime.InteropServices { public sealed class StructLayoutAttribute : Attribute { public StructLayoutAttribute(int k) { } } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", VerdictKind.PolicyViolation, "declared in namespace" },
        { "finalizer-thread crash via Dispose(bool)", Usings + "public sealed class Leaky : nn.Module<Tensor, Tensor> { public Leaky() : base(\"leaky\") { } public override Tensor forward(Tensor x) => x; protected override void Dispose(bool disposing) { throw new Exception(\"data\"); } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", VerdictKind.PolicyViolation, "finalizer thread" },
        { "unseeded randomness", Body("return x * 2 + (new Random().Next(2) == 0 ? 0 : 1);"), VerdictKind.PolicyViolation, "unseeded randomness" },
        { "reading the grader's seed", Body("return x * 2 + initial_seed() * 0;"), VerdictKind.PolicyViolation, "grader's seed" },
        { "shadowing torch for the probes", Usings.Replace("using static TorchSharp.torch;\n", "") + "public static class torch { public static TorchSharp.torch.Tensor arange(long n, TorchSharp.torch.ScalarType dtype) => TorchSharp.torch.zeros(n, dtype: dtype); }\npublic static class Solution { public static TorchSharp.torch.Tensor Run(TorchSharp.torch.Tensor x) => x * 3; }", VerdictKind.WrongAnswer, "tests failed" },
        { "assembly loading", Body("System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/runner/BugHunt.Runner.dll\"); return x * 2;"), VerdictKind.PolicyViolation, "assembly loading" },
        { "Activator", Body("var o = Activator.CreateInstance<object>(); return x * 2;"), VerdictKind.PolicyViolation, "reflection" },
        { "forged protocol lines", Body("Console.WriteLine(\"00000000000000000000000000000000 {\\\"type\\\":\\\"done\\\"}\"); return x * 3;"), VerdictKind.WrongAnswer, "tests failed" },
        { "huge exception message", Body("throw new InvalidOperationException(new string('x', 5_000_000));"), VerdictKind.RuntimeError, "InvalidOperationException" },
        { "NaN output", Body("return x * double.NaN;"), VerdictKind.WrongAnswer, "tests failed" },
    };

    [DockerTheory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_gets_its_exact_verdict_and_the_next_submission_is_graded(string attack, string solution, VerdictKind expected, string messageContains)
    {
        var verdict = await echo.GradeAsync(solution);

        Assert.True(expected == verdict.Kind, $"{attack}: expected {expected}, got {verdict.Kind}: {verdict.Message} {string.Join(" | ", verdict.Diagnostics.Select(d => d.Message))}");
        var said = verdict.Message + " " + string.Join(" ", verdict.Diagnostics.Select(d => d.Message)) + " " + string.Join(" ", verdict.Tests.Select(t => t.Message)) + " " + verdict.Detail;
        Assert.Contains(messageContains, said, StringComparison.OrdinalIgnoreCase);
        Assert.True(said.Length < 50_000, $"{attack}: the verdict carries {said.Length} characters");
        Assert.Equal(0, await echo.LeftoverContainersAsync());

        var next = await echo.GradeAsync(echo.Echo.ReferenceFiles["Solution.cs"]);
        Assert.True(next.Kind == VerdictKind.Accepted, $"after {attack}: {next.Kind}: {next.Message}");
    }

    [DockerFact]
    public async Task Policy_violation_names_the_symbol_and_its_line()
    {
        var verdict = await echo.GradeAsync(Body("var s = System.IO.File.ReadAllText(\"/etc/passwd\"); return x * 2;"));
        var diagnostic = Assert.Single(verdict.Diagnostics);
        Assert.Equal("Solution.cs", diagnostic.File);
        Assert.Equal(9, diagnostic.Line);
        Assert.Contains("System.IO.File", diagnostic.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Time_limit_keeps_the_results_of_tests_that_finished_before_the_kill()
    {
        // The public probe finishes; the hidden one (a 3x4 input) never returns.
        var verdict = await echo.GradeAsync(Body("if (x.shape[0] == 3) while (true) { } return x * 2;"));
        Assert.Equal(VerdictKind.TimeLimit, verdict.Kind);
        Assert.True(verdict.Tests.Single(t => t.Id == "doubles-a-small-tensor").Passed);
        Assert.False(verdict.Tests.Single(t => t.Id == "doubles-another-tensor").Passed);
        Assert.Equal(0.5, verdict.Score);
    }

    [DockerFact]
    public async Task Container_killed_from_outside_is_a_sandbox_error_never_the_candidates_verdict()
    {
        var grading = echo.RunAsync(new Dictionary<string, string> { ["Solution.cs"] = Body("while (true) { }") });
        using var docker = new Docker.DotNet.DockerClientConfiguration(echo.Sandbox.Options.DockerEndpoint).CreateClient();
        var killed = false;
        for (var i = 0; i < 100 && !killed; i++)
        {
            await Task.Delay(100);
            var running = await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{BugHunt.Grader.Sandboxes.DockerSandbox.GraderLabel}={echo.Sandbox.Options.GraderId}"] = true } },
            });
            foreach (var container in running)
            {
                await docker.Containers.KillContainerAsync(container.ID, new Docker.DotNet.Models.ContainerKillParameters { Signal = "KILL" });
                killed = true;
            }
        }
        Assert.True(killed, "no running sandbox container was found to kill");

        var verdict = Judge.Decide(echo.Echo.Tests, await grading, echo.Reference);
        Assert.Equal(VerdictKind.SandboxError, verdict.Kind);
        Assert.Contains("killed from outside", verdict.Detail, StringComparison.Ordinal);
    }
}

/// <summary>
/// What reaches the candidate from a hidden test, and what binds a probe to a submission: the
/// score-integrity classes that need a real sandbox to show.
/// </summary>
public sealed class HiddenMaterialTests(EchoSandbox echo) : IClassFixture<EchoSandbox>
{
    private const string Usings = "using System;\nusing System.Linq;\nusing TorchSharp;\nusing static TorchSharp.torch;\n";

    // The hidden echo probe feeds arange(12) - 5 as a 3x4 tensor; these are its values as text.
    private const string HiddenValues = "-5,-4,-3,-2,-1,0,1,2";

    private static string Leaking(string leak) => Usings + $$"""
        public sealed class Leak : Exception { private readonly string _m; public Leak(string m) { _m = m; } public override string Message => _m; }
        public static class Solution
        {
            public static Tensor Run(Tensor x)
            {
                var values = string.Join(",", x.reshape(-1).data<double>().ToArray());
                if (x.shape[0] == 3) { {{leak}} }
                return x * 2;
            }
        }
        """;

    [DockerTheory]
    [InlineData("throw new Leak(values);")]
    [InlineData("throw new ArgumentException(values);")]
    [InlineData("Console.WriteLine(values); Console.Write(new string('x', 100_000));")]
    public async Task Nothing_of_a_hidden_input_reaches_the_candidates_side_of_the_verdict(string leak)
    {
        var verdict = await echo.GradeAsync(Leaking(leak));

        var candidateSide = verdict.Message + "\n" + verdict.Console + "\n" + string.Join("\n", verdict.Tests.Where(t => t.Visibility == BugHunt.Core.Packs.Visibility.Public).Select(t => t.Message));
        Assert.DoesNotContain(HiddenValues, candidateSide, StringComparison.Ordinal);
        Assert.DoesNotContain("Leak", candidateSide, StringComparison.Ordinal);
        Assert.False(verdict.ConsoleTruncated, "truncation during a hidden probe was shown");
        Assert.True(verdict.Tests.Single(t => t.Id == "doubles-a-small-tensor").Passed);
        // Staff keep the whole story.
        Assert.Contains(HiddenValues, (verdict.Detail ?? "") + verdict.StaffConsole, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Exception_message_getter_that_throws_or_is_huge_is_survived_and_bounded()
    {
        var source = Usings + """
            public sealed class Odd : Exception { public override string Message => throw new InvalidOperationException("no"); }
            public sealed class Huge : Exception { public override string Message => new string('m', 1_000_000); }
            public static class Solution
            {
                public static Tensor Run(Tensor x) { if (x.shape[0] == 2) throw new Huge(); throw new Odd(); }
            }
            """;

        var verdict = await echo.GradeAsync(source);

        Assert.Equal(VerdictKind.RuntimeError, verdict.Kind);
        Assert.True(verdict.Message.Length <= 2 * BugHunt.Core.Sandbox.ProbeFailure.MaxTextLength, $"message of {verdict.Message.Length} characters");
        Assert.True(verdict.Tests.All(t => t.Message.Length < 1000));
    }

    [DockerFact]
    public async Task Submission_declared_torch_class_does_not_reach_the_probes()
    {
        // A property test compares two observations of one run: with the submission's torch bound
        // into the probe (arange giving zeros), a wrong Run would satisfy it.
        var probe = """
            var x = torch.arange(6, dtype: torch.float64);
            Observe("y", Solution.Run(x));
            Observe("twice", torch.arange(6, dtype: torch.float64) * 2);
            """;
        var challenge = echo.Echo with
        {
            Probes = [new BugHunt.Core.Sandbox.ProbeSource("property", probe)],
            Tests = [new BugHunt.Core.Packs.TestSpec("run-doubles", "Run doubles", "property", BugHunt.Core.Packs.Visibility.Hidden, "property", 1, [],
                new BugHunt.Core.Checks.CheckSpec(BugHunt.Core.Checks.CheckKind.Equal, Left: "y", Right: "twice", Rtol: 0, Atol: 1e-12))],
        };
        var build = await new ProbeBuilds(echo.Sandbox).GetAsync(challenge, CancellationToken.None);
        Assert.True(build.Probes is not null, build.Error);
        var shadowing = """
            public static class torch
            {
                public static TorchSharp.torch.Tensor arange(long n, TorchSharp.torch.ScalarType dtype) => TorchSharp.torch.zeros(n, dtype: dtype);
                public static TorchSharp.torch.ScalarType float64 => TorchSharp.torch.float64;
            }
            public static class Solution { public static TorchSharp.torch.Tensor Run(TorchSharp.torch.Tensor x) => x * 3; }
            """;

        var job = BugHunt.Core.Grading.GradingPlan.Job(challenge, build.Probes, new Dictionary<string, string> { ["Solution.cs"] = shadowing }, challenge.Tests, 7, BugHunt.Grader.Sandboxes.DockerSandbox.NewNonce(), 1000);
        var verdict = Judge.Decide(challenge.Tests, await echo.Sandbox.RunAsync(job, challenge.Limits, CancellationToken.None), new Dictionary<string, ProbeReport>());

        Assert.Equal(VerdictKind.WrongAnswer, verdict.Kind);
    }

    [DockerFact]
    public async Task Changed_public_api_is_a_compile_error_naming_the_missing_member()
    {
        var verdict = await echo.GradeAsync(Usings + "public static class Solution { public static Tensor Run2(Tensor x) => x * 2; }");

        Assert.Equal(VerdictKind.CompileError, verdict.Kind);
        Assert.Contains("Solution.Run(TorchSharp.torch.Tensor)", verdict.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Hidden_probes_start_from_the_hidden_seed_and_public_ones_from_the_documented_seed()
    {
        var source = Usings + "public static class Solution { public static Tensor Run(Tensor x) { Console.Write(rand(1, dtype: float64).item<double>()); return x * 2; } }";

        var first = await echo.Sandbox.RunAsync(echo.Job(new Dictionary<string, string> { ["Solution.cs"] = source }), echo.Echo.Limits, CancellationToken.None);
        var other = await echo.Sandbox.RunAsync(BugHunt.Core.Grading.GradingPlan.Job(echo.Echo, echo.Probes, new Dictionary<string, string> { ["Solution.cs"] = source }, echo.Echo.Tests, EchoSandbox.HiddenSeed + 1, BugHunt.Grader.Sandboxes.DockerSandbox.NewNonce(), 1000), echo.Echo.Limits, CancellationToken.None);

        Assert.True(first.Compiled, string.Join(" | ", first.Diagnostics.Select(d => d.Message)));
        Assert.Equal(first.Probes["double"].Console, other.Probes["double"].Console);
        Assert.NotEqual(first.Probes["double-hidden"].Console, other.Probes["double-hidden"].Console);
        Assert.NotEqual(first.Probes["double"].Console, first.Probes["double-hidden"].Console);
    }
}

/// <summary>The probe helpers mutants need, against the echo challenge: gradients, sweeps, wide ranges.</summary>
public sealed class ProbeHelperTests(EchoSandbox echo) : IClassFixture<EchoSandbox>
{
    private const string Probe = """
        var x = torch.arange(6, dtype: torch.float64).reshape(2, 3).requires_grad_(true);
        var unreached = torch.ones(2, dtype: torch.float64).requires_grad_(true);
        var y = Solution.Run(x);
        Observe("y", y);
        ObserveGradients("dy", y, x, unreached);
        ObserveAll("sweep", new[] { Solution.Run(torch.ones(2, dtype: torch.float64)), Solution.Run(WideRange(3, 4)) });
        """;

    private static BugHunt.Core.Checks.CheckSpec Tensor(string observation) => new(BugHunt.Core.Checks.CheckKind.Tensor, Observation: observation);

    private async Task<Verdict> GradeAsync(string run)
    {
        var challenge = echo.Echo with
        {
            Probes = [new BugHunt.Core.Sandbox.ProbeSource("helpers", Probe)],
            Tests =
            [
                new BugHunt.Core.Packs.TestSpec("values", "values", "helpers", BugHunt.Core.Packs.Visibility.Hidden, "correctness", 1, [], Tensor("y")),
                new BugHunt.Core.Packs.TestSpec("gradient", "gradient", "helpers", BugHunt.Core.Packs.Visibility.Hidden, "gradient", 1, [], Tensor("dy")),
                new BugHunt.Core.Packs.TestSpec("sweep", "sweep", "helpers", BugHunt.Core.Packs.Visibility.Hidden, "sweep", 1, [], Tensor("sweep")),
            ],
        };
        var build = await new ProbeBuilds(echo.Sandbox).GetAsync(challenge, CancellationToken.None);
        Assert.True(build.Probes is not null, build.Error);
        async Task<SandboxRun> Run(IReadOnlyDictionary<string, string> files) => await echo.Sandbox.RunAsync(
            BugHunt.Core.Grading.GradingPlan.Job(challenge, build.Probes, files, challenge.Tests, 7, BugHunt.Grader.Sandboxes.DockerSandbox.NewNonce(), 1000), challenge.Limits, CancellationToken.None);
        var reference = await Run(challenge.ReferenceFiles);
        Assert.Null(reference.ProblemAsReference(["helpers"]));
        var source = "using TorchSharp;\nusing static TorchSharp.torch;\npublic static class Solution { public static Tensor Run(Tensor x) => " + run + "; }";
        return Judge.Decide(challenge.Tests, await Run(new Dictionary<string, string> { ["Solution.cs"] = source }), reference.Probes);
    }

    [DockerFact]
    public async Task Right_values_with_a_detached_gradient_fail_only_the_gradient_check()
    {
        var verdict = await GradeAsync("x.detach() * 2");

        Assert.True(verdict.Tests.Single(t => t.Id == "values").Passed);
        Assert.False(verdict.Tests.Single(t => t.Id == "gradient").Passed);
        Assert.True(verdict.Tests.Single(t => t.Id == "sweep").Passed);
    }

    [DockerFact]
    public async Task Clamp_that_never_triggers_on_small_values_fails_the_wide_range_sweep()
    {
        var verdict = await GradeAsync("(x * 2).clamp(-100, 100)");

        Assert.True(verdict.Tests.Single(t => t.Id == "values").Passed);
        Assert.True(verdict.Tests.Single(t => t.Id == "gradient").Passed);
        Assert.False(verdict.Tests.Single(t => t.Id == "sweep").Passed);
    }

    [DockerFact]
    public async Task Reference_behaviour_passes_every_helper_check()
    {
        var verdict = await GradeAsync("x + x");

        Assert.Equal(VerdictKind.Accepted, verdict.Kind);
    }
}
