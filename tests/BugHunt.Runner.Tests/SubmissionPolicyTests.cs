using BugHunt.Core.Sandbox;
using Xunit;

namespace BugHunt.Runner.Tests;

/// <summary>
/// The compile-time policy, in process: every forbidden capability is refused with a message naming
/// it, and honest code (the lab-screen references and starters) is not. One case per class of the
/// attacks seen, in more than one spelling where a spelling could slip past a name check.
/// </summary>
public sealed class SubmissionPolicyTests
{
    private const string Usings = "using System;\nusing System.Linq;\nusing System.Collections.Generic;\nusing TorchSharp;\nusing static TorchSharp.torch;\n";

    private static string Body(string body) => Usings + "public static class Solution\n{\n    public static Tensor Run(Tensor x)\n    {\n        " + body + "\n    }\n}\n";

    private static CompileOutcome Compile(string source, SubmissionRules? rules = null) =>
        SubmissionCompiler.Compile(new Dictionary<string, string> { ["Solution.cs"] = source }, rules ?? SubmissionRules.None);

    public static TheoryData<string, string, string> Refused => new()
    {
        // Look-alike framework types and the attributes Roslyn honours by name (memory safety).
        { "look-alike StructLayoutAttribute", Usings + "namespace System.Runtime.InteropServices { public sealed class StructLayoutAttribute : Attribute { public StructLayoutAttribute(int k) { } } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "declared in namespace System.Runtime.InteropServices" },
        { "look-alike ModuleInitializerAttribute", Usings + "namespace System.Runtime.CompilerServices { public sealed class ModuleInitializerAttribute : Attribute { } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "declared in namespace System.Runtime.CompilerServices" },
        { "real explicit layout", Usings + "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]\npublic struct Confused { [System.Runtime.InteropServices.FieldOffset(0)] public object A; [System.Runtime.InteropServices.FieldOffset(0)] public string B; }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "StructLayoutAttribute" },
        { "real module initializer", Usings + "public static class Solution { [System.Runtime.CompilerServices.ModuleInitializer] public static void Init() { } public static Tensor Run(Tensor x) => x * 2; }", "ModuleInitializerAttribute" },
        { "UnsafeAccessor", Usings + "public static class Solution { [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = \"_x\")] static extern ref int Peek(object o); public static Tensor Run(Tensor x) => x * 2; }", "not allowed" },
        { "IgnoresAccessChecksTo in a namespace", Usings + "[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo(\"BugHunt.Runner\")]\nnamespace System.Runtime.CompilerServices { public sealed class IgnoresAccessChecksToAttribute : Attribute { public IgnoresAccessChecksToAttribute(string a) { } } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "declared in namespace" },
        { "own type in a namespace", Usings + "namespace Helpers { public static class Util { } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "declared in namespace Helpers" },
        { "implicit stackalloc", Body("Span<int> s = stackalloc[] { 1, 2, 3 }; return x * s[1];"), "stackalloc" },
        { "typed references", Body("int i = 1; var r = __makeref(i); return x * 2;"), "TypedReference" },
        { "SkipLocalsInit", Usings + "public static class Solution { [System.Runtime.CompilerServices.SkipLocalsInit] public static Tensor Run(Tensor x) => x * 2; }", "not allowed" },
        // Crashing the runner with chosen text from another thread (finalizer), or reading through Message.
        { "Dispose(bool) override on a module", Usings + "public sealed class Leaky : nn.Module<Tensor, Tensor> { public Leaky() : base(\"leaky\") { } public override Tensor forward(Tensor x) => x; protected override void Dispose(bool disposing) { throw new Exception(\"data\"); } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "finalizer thread" },
        { "finalizer", Usings + "public sealed class Bomb { ~Bomb() { } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * 2; }", "finalizers" },
        { "thread pool", Body("System.Threading.ThreadPool.QueueUserWorkItem(_ => throw new Exception(\"x\")); return x * 2;"), "threads" },
        { "task", Body("System.Threading.Tasks.Task.Run(() => 1); return x * 2;"), "threads" },
        { "parallel LINQ", Body("var n = new[] { 1, 2 }.AsParallel().Sum(); return x * n;"), "System.Linq.ParallelEnumerable" },
        // The TorchSharp surface: TorchScript, files, tensorboard, hub, loaders, threads, native memory.
        { "TorchScript compile", Body("var cu = jit.compile(\"def f(x):\\n    print(x)\\n    return x\\n\"); return x * 2;"), "TorchSharp" },
        { "torch.jit.load", Body("var m = jit.load(\"/tmp/m.pt\"); return x * 2;"), "TorchSharp" },
        { "torch.from_file", Body("var t = from_file(\"/etc/passwd\"); return x * 2;"), "reads files" },
        { "Tensor.save", Body("x.save(\"/tmp/x.pt\"); return x * 2;"), "writes files" },
        { "Module.load", Usings + "public sealed class M : nn.Module<Tensor, Tensor> { public M() : base(\"m\") { } public override Tensor forward(Tensor x) => x; }\npublic static class Solution { public static Tensor Run(Tensor x) { new M().load(\"/tmp/m.dat\"); return x * 2; } }", "reads files" },
        { "Module.Create", Usings + "public sealed class M : nn.Module<Tensor, Tensor> { public M() : base(\"m\") { } public override Tensor forward(Tensor x) => x; }\npublic static class Solution { public static Tensor Run(Tensor x) { var m = nn.Module.Create<M>(\"/tmp/m.dat\"); return x * 2; } }", "reads a module from a file" },
        { "optimizer state to a file", Usings + "public static class Solution { public static Tensor Run(Tensor x) { var w = nn.Parameter(x.clone()); var opt = optim.SGD(new[] { w }, 0.1); opt.save_state_dict(\"/tmp/opt.dat\"); return x * 2; } }", "takes a file path" },
        { "optimizer state from a file", Usings + "public static class Solution { public static Tensor Run(Tensor x) { var w = nn.Parameter(x.clone()); var opt = optim.SGD(new[] { w }, 0.1); opt.load_state_dict(\"/etc/passwd\"); return x * 2; } }", "takes a file path" },
        { "hub download", Body("hub.download_url_to_file(\"http://127.0.0.1/x\", \"/tmp/x\"); return x * 2;"), "TorchSharp" },
        { "MNIST loader", Body("var l = TorchSharp.Data.Loader.MNIST(\"/tmp/m\", 2); return x * 2;"), "TorchSharp" },
        { "tensorboard", Body("var w = utils.tensorboard.SummaryWriter(\"/tmp/runs\"); return x * 2;"), "TorchSharp" },
        { "DataLoader", Body("var l = new TorchSharp.Modules.DataLoader(null!, 2); return x * 2;"), "TorchSharp.Modules.DataLoader" },
        { "set_num_threads", Body("set_num_threads(4); return x * 2;"), "thread pool" },
        { "native handle", Body("var p = x.Handle; return x * 2;"), "nint is not allowed" },
        { "cuda switch", Body("var ok = cuda.is_available(); return x * 2;"), "TorchSharp" },
        // Entropy and clocks: the same files must always get the same verdict.
        { "unseeded Random", Body("var r = new Random(); return x * r.NextDouble();"), "unseeded randomness" },
        { "Enumerable.Shuffle", Body("var order = new[] { 1, 2, 3 }.Shuffle().First(); return x * order;"), "unseeded randomness" },
        { "expression tree", Body("System.Linq.Expressions.Expression<Func<int>> e = () => 1; return x * 2;"), "System.Linq.Expressions" },
        { "Random.Shared", Body("return x * Random.Shared.NextDouble();"), "unseeded randomness" },
        { "torch.seed", Body("var s = seed(); return x * 2;"), "nondeterministic" },
        { "torch.random.seed", Body("var s = random.seed(); return x * 2;"), "nondeterministic" },
        { "torch.initial_seed", Body("var s = initial_seed(); return x * s;"), "grader's seed" },
        { "Generator.seed", Body("var g = new Generator(1); g.seed(); return x * 2;"), "nondeterministic" },
        { "torch.empty", Body("var scratch = empty(3, dtype: float64); return x + scratch * 0;"), "uninitialised memory" },
        { "empty_like", Body("return x + empty_like(x).sum() * 0;"), "uninitialised memory" },
        { "Tensor.new_empty", Body("return x + x.new_empty(new long[] { 2 }).sum() * 0;"), "uninitialised memory" },
        { "empty_strided", Body("return x + empty_strided(new long[] { 2 }, new long[] { 1 }).sum() * 0;"), "uninitialised memory" },
        { "DateTime.Now", Body("return x * DateTime.Now.Ticks;"), "System.DateTime" },
        { "Guid.NewGuid", Body("var g = Guid.NewGuid(); return x * 2;"), "System.Guid" },
        { "Stopwatch", Body("var t = System.Diagnostics.Stopwatch.GetTimestamp(); return x * t;"), "clocks" },
        { "Environment.TickCount", Body("return x * Environment.TickCount;"), "System.Environment" },
        { "string hash code", Body("return x * \"abc\".GetHashCode();"), "randomised per process" },
        { "object hash code", Body("return x * new object().GetHashCode();"), "randomised per process" },
        { "comparer hash code", Body("return x * StringComparer.Ordinal.GetHashCode(\"abc\");"), "randomised per process" },
        { "HashCode.Combine", Body("return x * HashCode.Combine(1, 2);"), "System.HashCode" },
        { "reflection via typeof", Body("var t = typeof(Solution); return x * 2;"), "reflection" },
        { "function pointer", Body("unsafe { delegate*<int> f = null; } return x * 2;"), "unsafe" },
        { "P/Invoke", Usings + "public static class Solution { [System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid(); public static Tensor Run(Tensor x) => x * getpid(); }", "native" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Forbidden_capability_is_a_policy_violation_naming_it(string attack, string source, string expected)
    {
        var outcome = Compile(source);

        Assert.True(outcome.Submission is null && outcome.PolicyViolated, $"{attack}: not refused; errors: {string.Join(" | ", outcome.Errors.Select(e => e.Message))}");
        Assert.True(outcome.Errors.Any(e => e.Message.Contains(expected, StringComparison.Ordinal)), $"{attack}: no message contains '{expected}': {string.Join(" | ", outcome.Errors.Select(e => e.Message))}");
    }

    public static TheoryData<string, string> Allowed => new()
    {
        { "seeded Random", Body("var r = new Random(42); return x * r.NextDouble();") },
        { "a module with submodules", Usings + "public sealed class M : nn.Module<Tensor, Tensor> { private readonly TorchSharp.Modules.Linear _l = nn.Linear(2, 2); public M() : base(\"m\") { RegisterComponents(); } public override Tensor forward(Tensor x) => _l.forward(x); }\npublic static class Solution { public static Tensor Run(Tensor x) => new M().forward(x); }" },
        { "seeded generator and manual_seed", Body("manual_seed(3); var g = new Generator(7); return x * rand(1, generator: g).item<float>();") },
        { "int hash code", Body("return x * 5.GetHashCode();") },
        { "records, tuples, LINQ, collections", Usings + "public sealed record Pair(int A, int B);\npublic static class Solution { public static Tensor Run(Tensor x) { var d = new Dictionary<string, int> { [\"a\"] = 1 }; var (a, b) = (new Pair(1, 2).A, d.Values.Sum()); return x * (a + b); } }" },
        { "collection expression into a span", Body("ReadOnlySpan<double> w = [1.0, 2.0, 3.0]; return x * w[2];") },
        { "obsolete and flags attributes", Usings + "[Flags] public enum Mode { None = 0, A = 1 }\npublic static class Solution { [Obsolete(\"old\")] public static int Old() => 1; public static Tensor Run(Tensor x) => x * 2; }" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Honest_code_compiles(string name, string source)
    {
        var outcome = Compile(source);

        Assert.True(outcome.Submission is not null, $"{name}: refused: {string.Join(" | ", outcome.Errors.Select(e => $"{e.Line}: {e.Message}"))}");
    }

    [Fact]
    public void Namespace_the_challenge_allows_may_hold_types()
    {
        var source = Usings + "namespace Helpers { public static class Util { public static int Two => 2; } }\npublic static class Solution { public static Tensor Run(Tensor x) => x * Helpers.Util.Two; }";

        Assert.NotNull(Compile(source, new SubmissionRules(["Helpers"], [])).Submission);
        Assert.Null(Compile(source).Submission);
    }

    [Fact]
    public void Challenge_rule_is_a_policy_violation_quoting_its_reason()
    {
        var rules = new SubmissionRules([], [new ForbiddenSymbol("TorchSharp.torch.nn.functional.softmax", "implement softmax yourself")]);

        var outcome = Compile(Body("return nn.functional.softmax(x, -1);"), rules);

        Assert.True(outcome.PolicyViolated);
        var error = Assert.Single(outcome.Errors);
        Assert.Contains("breaks a rule of this challenge: implement softmax yourself", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, error.Line);
        Assert.NotNull(Compile(Body("return x.softmax(-1);"), rules).Submission);
    }

    [Fact]
    public void Rule_on_a_type_covers_its_members_and_nested_types()
    {
        var rules = new SubmissionRules([], [new ForbiddenSymbol("TorchSharp.torch.nn.functional", "no functional ops")]);

        Assert.True(Compile(Body("return nn.functional.relu(x);"), rules).PolicyViolated);
        Assert.NotNull(Compile(Body("return x.relu();"), rules).Submission);
    }

    public static TheoryData<string> ShippedCode()
    {
        var data = new TheoryData<string>();
        var challenges = Path.Combine(BugHunt.Testing.TestEnvironment.RepositoryRoot(), "challenges");
        foreach (var dir in Directory.GetDirectories(challenges, "reference", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var challenge = Path.GetRelativePath(challenges, Path.GetDirectoryName(dir)!);
            data.Add($"{challenge}/reference");
            data.Add($"{challenge}/starter");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedCode))]
    public void Every_shipped_reference_and_starter_passes_the_policy_and_the_emitted_code_check(string folder)
    {
        var dir = Path.Combine(BugHunt.Testing.TestEnvironment.RepositoryRoot(), "challenges", Path.GetDirectoryName(folder)!);
        var files = Directory.GetFiles(Path.Combine(dir, "reference"), "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        if (folder.EndsWith("/starter", StringComparison.Ordinal))
        {
            // The starter is derived: the reference with every planted bug (bugs/*.diff), as the pack loader derives it.
            var hunks = Directory.GetFiles(Path.Combine(dir, "bugs"), "*.diff").Order(StringComparer.Ordinal)
                .SelectMany(d => BugHunt.Core.Packs.UnifiedDiff.Parse(File.ReadAllText(d), d, files.Keys).Select(h => (d, h)));
            foreach (var (name, text) in BugHunt.Core.Packs.UnifiedDiff.Apply(files, "reference", hunks))
            {
                files[name] = text;
            }
        }

        var outcome = SubmissionCompiler.Compile(files, SubmissionRules.None);

        Assert.True(outcome.Submission is not null, $"{folder}: {string.Join(" | ", outcome.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"))}");
    }
}
