using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using BugHunt.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace BugHunt.Runner;

/// <summary>
/// Submitted (or reference) files compiled into one in-memory assembly, always named
/// <see cref="SubmissionCompiler.AssemblyName"/>: probes compiled against the reference bind to it by that name.
/// </summary>
internal sealed record CompiledSubmission(CSharpCompilation Compilation, ImmutableArray<byte> Image)
{
    /// <summary>The portable PDB, when compiled for a notebook: exceptions then name the candidate's file and line.</summary>
    public ImmutableArray<byte>? Symbols { get; init; }

    public MetadataReference Reference { get; } = MetadataReference.CreateFromImage(Image);

    /// <summary>A fresh load context holding this assembly; probes are loaded into the same one.</summary>
    public GradingLoadContext Load() => new(this);
}

/// <summary>
/// One load context per job: the submission under its fixed name, the probes or notebook cells
/// next to it (a cell binds to the cells before it by their names), and everything else
/// (TorchSharp, the framework, the runner's globals) from the default context.
/// </summary>
internal sealed class GradingLoadContext : AssemblyLoadContext
{
    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

    public GradingLoadContext(CompiledSubmission submission) : base("grading", isCollectible: false)
    {
        Submission = LoadImage(submission.Image, submission.Symbols);
    }

    public Assembly Submission { get; }

    /// <summary>Loads an image compiled against the submission; with symbols, its stack frames carry file and line.</summary>
    public Assembly LoadImage(ImmutableArray<byte> image, ImmutableArray<byte>? symbols)
    {
        using var pe = new MemoryStream(image.ToArray());
        using var pdb = symbols is { } s ? new MemoryStream(s.ToArray()) : null;
        var assembly = LoadFromStream(pe, pdb);
        _loaded[assembly.GetName().Name ?? ""] = assembly;
        return assembly;
    }

    protected override Assembly? Load(AssemblyName assemblyName) => _loaded.GetValueOrDefault(assemblyName.Name ?? "");
}

internal sealed record CompileOutcome(CompiledSubmission? Submission, IReadOnlyList<SourceDiagnostic> Errors, bool PolicyViolated);

/// <summary>Compiles submitted files, after the semantic policy passes and before the emitted code is checked.</summary>
internal static class SubmissionCompiler
{
    public const string AssemblyName = "Submission";

    // What a submission and a probe may compile against. The policy decides what may be used of it.
    private static readonly string[] ReferenceNames =
    [
        "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Console",
        "System.Runtime.Extensions", "System.Memory", "System.Numerics.Vectors", "System.Runtime.Numerics",
        "netstandard", "TorchSharp",
        // Referenced only so that reaching for them resolves, and the policy can name what was
        // refused instead of leaving a puzzling "type not found" compile error.
        "System.Threading", "System.Threading.Thread", "System.Threading.Tasks.Parallel", "System.Net.Sockets",
        "System.Net.Http", "System.Net.Primitives", "System.Diagnostics.Process", "System.Runtime.Loader",
        "System.Runtime.InteropServices", "System.IO.FileSystem", "System.Reflection.Emit", "System.Linq.Parallel",
        "System.Linq.Expressions", "System.Collections.Concurrent",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static ImmutableArray<MetadataReference> FrameworkReferences => References.Value;

    /// <summary>
    /// Compiles, checks and emits the files. <paramref name="withSymbols"/> (notebooks) also emits a
    /// portable PDB; the image and every check are the same either way.
    /// </summary>
    public static CompileOutcome Compile(IReadOnlyDictionary<string, string> files, SubmissionRules rules, bool withSymbols = false)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(f.Value, parseOptions, path: f.Key, encoding: Encoding.UTF8))
            .ToArray();
        var compilation = CSharpCompilation.Create(
            AssemblyName,
            trees,
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: false,
                nullableContextOptions: NullableContextOptions.Disable,
                deterministic: true,
                usings: ["System", "System.Linq", "System.Collections.Generic"]));

        // The policy goes first: `unsafe` code, for one, is also a compile error, but the
        // candidate should learn that it is forbidden, not how to make it compile.
        var violations = SubmissionPolicy.Check(compilation, rules);
        if (violations.Count > 0)
        {
            return new CompileOutcome(null, violations, true);
        }
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(ToSourceDiagnostic)
            .ToList();
        if (errors.Count > 0)
        {
            return new CompileOutcome(null, errors, false);
        }
        using var image = new MemoryStream();
        using var symbols = withSymbols ? new MemoryStream() : null;
        var emitted = compilation.Emit(image, symbols, options: withSymbols ? SymbolsOptions : null);
        if (!emitted.Success)
        {
            return new CompileOutcome(null, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToSourceDiagnostic).ToList(), false);
        }
        var bytes = ImmutableArray.Create(image.ToArray());
        if (EmittedCodeCheck.Check(bytes) is { } unsafeCode)
        {
            var file = files.Keys.Order(StringComparer.Ordinal).FirstOrDefault() ?? "";
            return new CompileOutcome(null, [new SourceDiagnostic(file, 1, 1, "BH0002", $"{unsafeCode}: the compiled code is not memory-safe, which submissions must be")], true);
        }
        var submission = new CompiledSubmission(compilation, bytes) { Symbols = symbols is null ? null : ImmutableArray.Create(symbols.ToArray()) };
        return new CompileOutcome(submission, [], false);
    }

    /// <summary>A separate portable PDB (the image gains only a debug directory entry naming it); the checks see the same code.</summary>
    public static readonly EmitOptions SymbolsOptions = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    public static SourceDiagnostic ToSourceDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var file = d.Location.IsInSource ? span.Path : "";
        return new SourceDiagnostic(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        return [.. ReferenceNames.Where(platform.ContainsKey).Select(n => (MetadataReference)MetadataReference.CreateFromFile(platform[n]))];
    }
}
