using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BugHunt.Runner.Tests;

/// <summary>
/// The metadata check on its own: assemblies compiled here without the semantic policy (and with
/// unsafe code allowed) stand for any spelling the policy might miss. Each must be refused for
/// what it compiled to.
/// </summary>
public sealed class EmittedCodeCheckTests
{
    private static ImmutableArray<byte> Emit(string source, bool allowUnsafe = true)
    {
        var compilation = CSharpCompilation.Create("Submission", [CSharpSyntaxTree.ParseText(source)], SubmissionCompiler.FrameworkReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return [.. image.ToArray()];
    }

    public static TheoryData<string, string, string> Unsafe => new()
    {
        { "overlapping references", "using System.Runtime.InteropServices; [StructLayout(LayoutKind.Explicit)] public struct C { [FieldOffset(0)] public object A; [FieldOffset(0)] public string B; }", "explicit field layout" },
        { "explicit layout of values", "using System.Runtime.InteropServices; [StructLayout(LayoutKind.Explicit)] public struct C { [FieldOffset(0)] public long A; [FieldOffset(4)] public int B; }", "explicit field layout" },
        { "module initializer", "public static class M { [System.Runtime.CompilerServices.ModuleInitializer] public static void Init() { } }", "module initializer" },
        { "localloc", "public static class M { public static unsafe int F() { int* p = stackalloc int[4]; return p[0]; } }", "pointer" },
        { "stackalloc into a span", "public static class M { public static int F() { System.Span<int> s = stackalloc int[4]; return s[0]; } }", "localloc" },
        { "pointer field", "public unsafe struct P { public int* Ptr; }", "pointer type" },
        { "function pointer and calli", "public static unsafe class M { static int One() => 1; public static int F() { delegate*<int> f = &One; return f(); } }", "pointer" },
        { "P/Invoke", "public static class M { [System.Runtime.InteropServices.DllImport(\"libc\")] public static extern int getpid(); }", "P/Invoke" },
        { "body-less extern", "public static class M { [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)] public static extern int F(); }", "natively" },
        { "UnsafeAccessor", "public static class M { [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = \"_x\")] public static extern ref int Peek(object o); }", "UnsafeAccessorAttribute" },
        { "assembly-level attribute", "[assembly: System.Reflection.AssemblyMetadata(\"a\", \"b\")] public static class M { }", "assembly-level attribute" },
        { "typed reference", "public static class M { public static int F() { int i = 1; var r = __makeref(i); return __refvalue(r, int); } }", "mkrefany" },
    };

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void Unsafe_compiled_code_is_refused_for_what_it_compiled_to(string name, string source, string expected)
    {
        var problems = EmittedCodeCheck.AllProblems(Emit(source));

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"{name}: no problem mentions '{expected}': {string.Join(" | ", problems)}");
    }

    [Fact]
    public void Safe_code_with_arrays_lambdas_iterators_and_static_data_passes()
    {
        var source = """
            using System; using System.Linq; using System.Collections.Generic;
            public delegate int Op(int a);
            public static class M
            {
                private static readonly int[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
                public static IEnumerable<int> Evens() { foreach (var t in Table) if (t % 2 == 0) yield return t; }
                public static int F(int k) { Op op = a => a * k; ReadOnlySpan<byte> bytes = [1, 2, 3]; return Evens().Sum() + op(bytes[1]) + $"{k}".Length; }
            }
            """;

        Assert.Empty(EmittedCodeCheck.AllProblems(Emit(source, allowUnsafe: false)));
    }
}
