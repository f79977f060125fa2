using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Runner.Tests;

/// <summary>
/// Notebook cells are held to the submission policy: every capability refused in a submitted file
/// is refused in a cell, with the cell's number and position, and the script features that files
/// lack (#r, #load, the globals' type) open nothing. Honest experiments compile.
/// </summary>
public sealed class CellPolicyTests
{
    internal const string ModelSource = """
        using System;
        using TorchSharp;
        using static TorchSharp.torch;
        public static class Model
        {
            public static double Scale(double x)
            {
                if (x < 0)
                    throw new ArgumentException("negative scale");
                return 2 * x;
            }

            public static Tensor Softmax(Tensor x) => (x - x.max()).exp() / (x - x.max()).exp().sum();
        }
        """;

    internal static CompiledSubmission Submission { get; } = Compile(SubmissionRules.None);

    internal static CompiledSubmission Compile(SubmissionRules rules) =>
        SubmissionCompiler.Compile(new Dictionary<string, string> { ["Model.cs"] = ModelSource }, rules, withSymbols: true).Submission
            ?? throw new InvalidOperationException("the test model does not compile");

    /// <summary>The first cell that cannot run, with why; null when every cell compiles.</summary>
    private static (int Cell, CellRejection Rejection)? FirstRejection(SubmissionRules? rules, params string[] cells)
    {
        var compiler = new CellCompiler(rules is null ? Submission : Compile(rules), rules ?? SubmissionRules.None);
        for (var i = 0; i < cells.Length; i++)
        {
            if (compiler.Compile(i + 1, cells[i]).Rejection is { } rejection)
            {
                return (i + 1, rejection);
            }
        }
        return null;
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "File.ReadAllText", "var s = System.IO.File.ReadAllText(\"/etc/passwd\");", "file access" },
        { "File through a using", "using System.IO;\nvar s = File.ReadAllText(\"/etc/passwd\");", "file access" },
        { "Directory listing", "var all = System.IO.Directory.GetFiles(\"/\");", "file access" },
        { "Process.Start", "System.Diagnostics.Process.Start(\"/bin/sh\");", "processes" },
        { "reflection via typeof", "var a = typeof(Model).Assembly;", "reflection" },
        { "reflection via GetType", "var m = 1.GetType().GetMethods();", "reflection" },
        { "reflection on the globals", "var t = Seed.GetType();", "reflection" },
        { "Activator", "var o = Activator.CreateInstance<object>();", "reflection" },
        { "Environment.Exit", "Environment.Exit(0);", "System.Environment" },
        { "environment variables", "var home = Environment.GetEnvironmentVariable(\"HOME\");", "System.Environment" },
        { "a thread", "new System.Threading.Thread(() => { }).Start();", "threads" },
        { "Task.Run", "System.Threading.Tasks.Task.Run(() => 1);", "threads" },
        { "top-level await on a task", "await System.Threading.Tasks.Task.Delay(10);", "threads" },
        { "unsafe block", "unsafe { int* p = null; }", "unsafe" },
        { "stackalloc", "Span<int> s = stackalloc int[3];", "stackalloc" },
        { "P/Invoke", "[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();", "extern" },
        { "module initializer", "[System.Runtime.CompilerServices.ModuleInitializer] static void Init() { }", "ModuleInitializerAttribute" },
        { "look-alike framework attribute", "namespace System.Runtime.InteropServices { public sealed class StructLayoutAttribute : Attribute { } }", "declared in namespace" },
        { "finalizer", "class Bomb { ~Bomb() { } }", "finalizers" },
        { "dynamic", "dynamic d = 1;", "dynamic" },
        { "torch save", "randn(2).save(\"/tmp/x.pt\");", "writes files" },
        { "TorchScript", "var m = jit.load(\"/tmp/m.pt\");", "TorchSharp" },
        { "set_num_threads", "set_num_threads(4);", "thread pool" },
        { "reading the seed torch was given", "var s = initial_seed();", "grader's seed" },
        { "unseeded Random", "var r = new Random();", "unseeded randomness" },
        { "a clock", "var now = DateTime.Now;", "System.DateTime" },
        { "GC", "GC.Collect();", "System.GC" },
        { "assembly loading", "System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/runner/BugHunt.Runner.dll\");", "assembly loading" },
        { "Console.SetOut", "Console.SetOut(Console.Error);", "Console.SetOut" },
        { "#r", "#r \"System.IO.FileSystem\"\nvar s = 1;", "#r and #load" },
        { "#load", "#load \"/etc/passwd\"\nvar s = 1;", "#r and #load" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Forbidden_capability_in_a_cell_is_refused_with_the_cell_number(string attack, string cell, string expected)
    {
        var rejection = FirstRejection(null, "var ok = 1;", cell, "var after = 2;");

        Assert.True(rejection is not null, $"{attack}: not refused");
        var (number, why) = rejection.Value;
        Assert.Equal(2, number);
        Assert.True(why.Status == CellStatuses.PolicyViolation, $"{attack}: {why.Status}: {string.Join(" | ", why.Diagnostics.Select(d => d.Message))}");
        Assert.All(why.Diagnostics, d => Assert.Equal("cell 2", d.File));
        Assert.True(why.Diagnostics.Any(d => d.Message.Contains(expected, StringComparison.Ordinal)), $"{attack}: no message contains '{expected}': {string.Join(" | ", why.Diagnostics.Select(d => d.Message))}");
    }

    [Theory]
    [InlineData("BugHunt.Runner.NotebookContext c = null;")]
    [InlineData("var e = new BugHunt.Runner.OutputLimitExceededException(1);")]
    [InlineData("var w = BugHunt.Runner.ProbeContext.WideRange(2);")]
    public void The_runners_types_cannot_be_named_from_a_cell(string cell)
    {
        var (number, why) = FirstRejection(null, cell)!.Value;

        Assert.Equal(1, number);
        Assert.Contains(why.Diagnostics, d => d.Message.Contains("'BugHunt'", StringComparison.Ordinal) || d.Message.Contains("BugHunt.Runner", StringComparison.Ordinal));
    }

    [Fact]
    public void Policy_violation_names_the_cell_line_and_column_and_speaks_of_cells()
    {
        var (cell, why) = FirstRejection(null, "var a = 1;", "var b = 2;\nvar s = System.IO.File.ReadAllText(\"/etc/passwd\");")!.Value;

        Assert.Equal(2, cell);
        var diagnostic = why.Diagnostics.First();
        Assert.Equal(("cell 2", 2), (diagnostic.File, diagnostic.Line));
        Assert.True(diagnostic.Column > 1);
        Assert.Contains("System.IO.File", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("not allowed in notebook cells", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Challenge_rules_apply_to_cells_as_to_files()
    {
        var rules = new SubmissionRules([], [new ForbiddenSymbol("TorchSharp.torch.nn.functional.softmax", "implement softmax yourself")]);

        var (cell, why) = FirstRejection(rules, "var y = nn.functional.softmax(randn(3), 0);")!.Value;

        Assert.Equal(1, cell);
        Assert.Equal(CellStatuses.PolicyViolation, why.Status);
        Assert.Contains("breaks a rule of this challenge: implement softmax yourself", why.Diagnostics.Single().Message, StringComparison.Ordinal);
        Assert.Null(FirstRejection(rules, "var y = Model.Softmax(randn(3));"));
    }

    [Fact]
    public void Compile_error_names_the_cell_and_the_line()
    {
        var (cell, why) = FirstRejection(null, "var a = 1;", "var b = 2;\nvar c = a + undefinedThing;", "var d = 3;")!.Value;

        Assert.Equal(2, cell);
        Assert.Equal(CellStatuses.CompileError, why.Status);
        var error = Assert.Single(why.Diagnostics);
        Assert.Equal(("cell 2", 2, "CS0103"), (error.File, error.Line, error.Id));
        Assert.Contains("undefinedThing", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "the globals' helpers and seed", ["var t = randn(3, 3);", "Plot(\"loss\", 0, 1.5);\nShow(t, \"t\");\nHist(t, 10);\nHeatmap(t);\nTable(\"m\", (\"step\", 1), (\"loss\", 0.5));\nvar s = Seed;"] },
        { "the submission's types", ["var y = Model.Scale(2.0);", "var p = Model.Softmax(randn(4));"] },
        { "earlier cells' functions, classes and records", ["double Twice(double v) => 2 * v;\nclass Counter { public int N; }\nrecord Pair(int A, int B);", "var c = new Counter { N = (int)Twice(2) };\nvar p = new Pair(c.N, 1);", "p.A + c.N"] },
        { "a using that carries on", ["using System.Text;", "var sb = new StringBuilder(\"x\");", "sb.Append('y').ToString()"] },
        { "training a small model", ["var lin = nn.Linear(3, 1);\nvar opt = optim.SGD(lin.parameters(), 0.1);", "for (int i = 0; i < 3; i++) { opt.zero_grad(); var loss = lin.forward(ones(4, 3)).pow(2).mean(); loss.backward(); opt.step(); }"] },
        { "seeded randomness and LINQ", ["var r = new Random(Seed.GetHashCode());\nvar xs = Enumerable.Range(0, 5).Select(i => r.NextDouble()).ToList();", "manual_seed(3);\nvar g = new Generator(7);\nxs.Sum()"] },
        { "an empty cell and a comment", ["", "// nothing yet", "1 + 1"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Honest_experiments_compile(string name, string[] cells)
    {
        var rejection = FirstRejection(null, cells);

        Assert.True(rejection is null, $"{name}: cell {rejection?.Cell} refused: {string.Join(" | ", rejection?.Rejection.Diagnostics.Select(d => $"{d.Line}:{d.Column} {d.Message}") ?? [])}");
    }
}
