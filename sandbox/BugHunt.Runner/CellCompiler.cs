using System.Collections.Immutable;
using System.Text;
using BugHunt.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace BugHunt.Runner;

/// <summary>A notebook cell that passed every check: its image, its PDB and its entry point.</summary>
internal sealed record CompiledCell(ImmutableArray<byte> Image, ImmutableArray<byte> Symbols, string EntryType, string EntryMethod);

/// <summary>Why a cell cannot run: <see cref="CellStatuses.CompileError"/> or <see cref="CellStatuses.PolicyViolation"/>, located in the cell.</summary>
internal sealed record CellRejection(string Status, IReadOnlyList<SourceDiagnostic> Diagnostics);

/// <summary>
/// Compiles a notebook's cells as one chain of scripts against the compiled submission, each cell
/// seeing the variables, functions and usings of the cells before it. A cell is held to the
/// submission policy (allow-list, TorchSharp surface, the challenge's rules) with the earlier
/// cells and the submission as its own code and the globals' members (<see cref="NotebookContext"/>)
/// as the only runner API, then its emitted image goes through <see cref="EmittedCodeCheck"/>.
/// A cell that fails stays out of the chain; the runner skips the cells after it anyway.
/// </summary>
internal sealed class CellCompiler(CompiledSubmission submission, SubmissionRules rules)
{
    private readonly ScriptOptions _options = ScriptOptions.Default
        .WithReferences(SubmissionCompiler.FrameworkReferences.Add(submission.Reference))
        .WithImports("System", "System.Linq", "System.Collections.Generic", "TorchSharp", "TorchSharp.torch")
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithAllowUnsafe(false)
        .WithFileEncoding(Encoding.UTF8)
        .WithMetadataResolver(NoReferences.Instance)
        .WithSourceResolver(NoSources.Instance);

    private Script<object>? _previous;

    /// <summary>The file name of a cell in diagnostics and stack traces.</summary>
    public static string CellPath(int cell) => $"cell {cell}";

    /// <summary>The cell compiled, or why it cannot run; both null when it has no code (only usings, say).</summary>
    public (CompiledCell? Cell, CellRejection? Rejection) Compile(int cell, string code)
    {
        var path = CellPath(cell);
        var options = _options.WithFilePath(path);
        var script = _previous is null ? CSharpScript.Create(code, options, typeof(NotebookContext)) : _previous.ContinueWith(code, options);
        var compilation = (CSharpCompilation)script.GetCompilation();
        var violations = SubmissionPolicy.Check(compilation, rules, Scope(compilation));
        if (violations.Count > 0)
        {
            return (null, new CellRejection(CellStatuses.PolicyViolation, InCell(violations, path)));
        }
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(SubmissionCompiler.ToSourceDiagnostic).ToList();
        if (errors.Count > 0)
        {
            return (null, new CellRejection(CellStatuses.CompileError, InCell(errors, path)));
        }
        if (compilation.SyntaxTrees.All(t => t.GetCompilationUnitRoot().Members.Count == 0))
        {
            // Nothing to emit (Roslyn gives such a submission no class), but its usings carry on.
            _previous = script;
            return (null, null);
        }
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        var emitted = compilation.Emit(image, symbols, options: SubmissionCompiler.SymbolsOptions);
        if (!emitted.Success)
        {
            var emitErrors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(SubmissionCompiler.ToSourceDiagnostic).ToList();
            return (null, new CellRejection(CellStatuses.CompileError, InCell(emitErrors, path)));
        }
        var bytes = ImmutableArray.Create(image.ToArray());
        if (EmittedCodeCheck.Check(bytes) is { } unsafeCode)
        {
            return (null, new CellRejection(CellStatuses.PolicyViolation,
                [new SourceDiagnostic(path, 1, 1, "BH0002", $"{unsafeCode}: the compiled code is not memory-safe, which cells must be")]));
        }
        var entry = compilation.GetEntryPoint(CancellationToken.None) ?? throw new InvalidOperationException("a script compilation has an entry point");
        _previous = script;
        return (new CompiledCell(bytes, ImmutableArray.Create(symbols.ToArray()), entry.ContainingType.MetadataName, entry.MetadataName), null);
    }

    /// <summary>The earlier cells and the submission are the candidate's (checked already); the globals type is the runner's API.</summary>
    private PolicyScope Scope(CSharpCompilation compilation)
    {
        var own = new List<IAssemblySymbol>();
        for (var previous = compilation.ScriptCompilationInfo?.PreviousScriptCompilation; previous is not null; previous = previous.ScriptCompilationInfo?.PreviousScriptCompilation)
        {
            own.Add(previous.Assembly);
        }
        if (compilation.GetAssemblyOrModuleSymbol(submission.Reference) is IAssemblySymbol compiled)
        {
            own.Add(compiled);
        }
        // The globals' assembly is referenced for the host object only: a cell cannot name its types.
        return new PolicyScope("notebook cells", own, typeof(NotebookContext));
    }

    /// <summary>At most <see cref="NotebookLimits.MaxDiagnostics"/>, each located in the cell (a diagnostic without a location points at its start).</summary>
    private static List<SourceDiagnostic> InCell(IEnumerable<SourceDiagnostic> diagnostics, string path) =>
        [.. diagnostics.Take(NotebookLimits.MaxDiagnostics).Select(d => d with
        {
            File = path,
            Message = NotebookLimits.Cut(d.Message, NotebookLimits.MaxMessageChars),
        })];

    /// <summary>Refuses every #r: a cell compiles against the fixed references only.</summary>
    private sealed class NoReferences : MetadataReferenceResolver
    {
        public static readonly NoReferences Instance = new();

        public override bool Equals(object? other) => other is NoReferences;

        public override int GetHashCode() => 1;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];
    }

    /// <summary>Refuses every #load: a cell reads no file.</summary>
    private sealed class NoSources : SourceReferenceResolver
    {
        public static readonly NoSources Instance = new();

        public override bool Equals(object? other) => other is NoSources;

        public override int GetHashCode() => 2;

        public override string? NormalizePath(string path, string? baseFilePath) => null;

        public override string? ResolveReference(string path, string? baseFilePath) => null;

        public override Stream OpenRead(string resolvedPath) => throw new IOException("cells cannot read files");
    }
}
