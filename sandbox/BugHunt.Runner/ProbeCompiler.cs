using BugHunt.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace BugHunt.Runner;

/// <summary>
/// Compiles probe scripts once per challenge version against the reference solution. The image
/// binds to whatever assembly is later loaded under the submission's fixed name, and the probe's
/// API (the reference's public members it uses) is recorded so a submission that changed one is
/// told which, before any probe runs. Names the submission declares never reach a probe: a
/// submission's own <c>torch</c> class is not the one the probe was compiled against.
/// </summary>
internal static class ProbeCompiler
{
    private static readonly SymbolDisplayFormat SignatureFormat = SymbolDisplayFormat.CSharpErrorMessageFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
            | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeRef)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut);

    public static (CompiledProbe? Probe, string? Error) Compile(CompiledSubmission reference, ProbeSource probe)
    {
        var options = ScriptOptions.Default
            .WithReferences(SubmissionCompiler.FrameworkReferences.Add(reference.Reference))
            .WithImports("System", "System.Linq", "System.Collections.Generic", "TorchSharp")
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(false);
        var script = CSharpScript.Create(probe.Code, options, typeof(ProbeContext));
        var compilation = script.GetCompilation();
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            return (null, string.Join("\n", errors.Take(5).Select(e => e.ToString())));
        }
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            return (null, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        }
        var entry = compilation.GetEntryPoint(CancellationToken.None) ?? throw new InvalidOperationException("a script compilation has an entry point");
        var api = UsedApi(compilation, reference);
        return (new CompiledProbe(probe.Id, image.ToArray(), entry.ContainingType.MetadataName, entry.MetadataName, api), null);
    }

    /// <summary>Every member of the reference the probe binds to, as the submission must also declare it.</summary>
    private static List<ApiMember> UsedApi(Compilation compilation, CompiledSubmission reference)
    {
        var used = new Dictionary<string, ApiMember>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
            {
                foreach (var symbol in SymbolsOf(model, node))
                {
                    var bound = Binding(symbol);
                    if (bound is null || bound.ContainingAssembly?.Name != SubmissionCompiler.AssemblyName
                        || DocumentationCommentId.CreateDeclarationId(bound) is not { } id)
                    {
                        continue;
                    }
                    used.TryAdd(id, new ApiMember(id, Signature(bound)));
                }
            }
        }
        return [.. used.Values.OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    private static IEnumerable<ISymbol> SymbolsOf(SemanticModel model, ExpressionSyntax node)
    {
        if (model.GetSymbolInfo(node).Symbol is { } symbol)
        {
            yield return symbol;
        }
        if (model.GetTypeInfo(node).Type is INamedTypeSymbol type)
        {
            yield return type;
        }
    }

    /// <summary>
    /// The member the emitted IL refers to: overrides are called through the member they override
    /// (a Module's forward binds to TorchSharp's, which the submission's class inherits or overrides).
    /// </summary>
    private static ISymbol? Binding(ISymbol symbol)
    {
        symbol = symbol is IMethodSymbol { ReducedFrom: { } reduced } ? reduced : symbol;
        symbol = symbol.OriginalDefinition;
        while (symbol is IMethodSymbol { OverriddenMethod: { } baseMethod })
        {
            symbol = baseMethod.OriginalDefinition;
        }
        while (symbol is IPropertySymbol { OverriddenProperty: { } baseProperty })
        {
            symbol = baseProperty.OriginalDefinition;
        }
        return symbol switch
        {
            INamedTypeSymbol or IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol => symbol,
            _ => null,
        };
    }

    public static string Signature(ISymbol symbol) => symbol.ToDisplayString(SignatureFormat);

    /// <summary>The probe's API members the submission lacks (absent, changed or not public), by their signature in the reference.</summary>
    public static IReadOnlyList<string> MissingApi(CompiledSubmission submission, CompiledProbe probe)
    {
        var missing = new List<string>();
        foreach (var member in probe.Api)
        {
            var found = DocumentationCommentId.GetSymbolsForDeclarationId(member.Id, submission.Compilation)
                .Where(s => SymbolEqualityComparer.Default.Equals(s.ContainingAssembly, submission.Compilation.Assembly))
                .Any(s => IsPublic(s) && Signature(s) == member.Signature);
            if (!found)
            {
                missing.Add(member.Signature);
            }
        }
        return missing;
    }

    private static bool IsPublic(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }
        return true;
    }
}
