using BugHunt.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BugHunt.Runner;

/// <summary>
/// The submission API policy: an allow-list checked on Roslyn's semantic model before anything of
/// the submission runs. Every expression's symbol and type must come from the submission itself or
/// from an allowed API; whatever is not listed (reflection, interop, files, network, processes,
/// environment, threads, assembly loading, ...) is refused with the symbol and its location.
/// </summary>
internal static class SubmissionPolicy
{
    private static readonly HashSet<string> AllowedSystemTypes = new(StringComparer.Ordinal)
    {
        "Object", "String", "Char", "Boolean", "Byte", "SByte", "Int16", "UInt16", "Int32", "UInt32",
        "Int64", "UInt64", "Single", "Double", "Decimal", "Half", "Math", "MathF", "Array", "Span`1",
        "ReadOnlySpan`1", "Nullable`1", "Tuple`1", "Tuple`2", "Tuple`3", "Tuple`4", "ValueTuple",
        "ValueTuple`1", "ValueTuple`2", "ValueTuple`3", "ValueTuple`4", "ValueTuple`5", "ValueTuple`6",
        "Func`1", "Func`2", "Func`3", "Func`4", "Func`5", "Action", "Action`1", "Action`2", "Action`3",
        "Action`4", "Predicate`1", "Comparison`1", "IComparable", "IComparable`1", "IEquatable`1",
        "IDisposable", "Enum", "Exception", "ArgumentException", "ArgumentNullException",
        "ArgumentOutOfRangeException", "InvalidOperationException", "NotImplementedException",
        "NotSupportedException", "IndexOutOfRangeException", "ArithmeticException", "DivideByZeroException",
        "FormatException", "Random", "Range", "Index", "Console", "StringComparison", "StringComparer",
        "Convert", "Lazy`1", "Void", "ValueType", "Attribute", "ObsoleteAttribute", "FlagsAttribute",
        "MidpointRounding", "StringSplitOptions", "IFormatProvider", "Comparer`1",
    };

    private static readonly string[] AllowedNamespaces =
    [
        "System.Collections", "System.Collections.Generic", "System.Collections.ObjectModel", "System.Linq",
        "System.Text", "System.Numerics",
    ];

    private static readonly string[] DeniedTorchSharpMembers = ["save", "load", "from_file", "to_file", "jit", "Save", "Load"];

    private static readonly HashSet<string> AllowedConsoleMembers = new(StringComparer.Ordinal) { "Write", "WriteLine" };

    public static IReadOnlyList<SourceDiagnostic> Check(CSharpCompilation compilation)
    {
        var violations = new List<SourceDiagnostic>();
        var seen = new HashSet<(string, int)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodesAndSelf())
            {
                var reason = Violation(compilation, model, node);
                if (reason is null)
                {
                    continue;
                }
                var span = node.GetLocation().GetLineSpan();
                var line = span.StartLinePosition.Line + 1;
                if (seen.Add((tree.FilePath, line)))
                {
                    violations.Add(new SourceDiagnostic(tree.FilePath, line, span.StartLinePosition.Character + 1, "BH0001", reason));
                }
            }
        }
        return violations;
    }

    private static string? Violation(CSharpCompilation compilation, SemanticModel model, SyntaxNode node)
    {
        switch (node)
        {
            case PointerTypeSyntax or FunctionPointerTypeSyntax or FixedStatementSyntax or StackAllocArrayCreationExpressionSyntax:
                return "unsafe code is not allowed in submissions";
            case UnsafeStatementSyntax:
                return "unsafe code is not allowed in submissions";
            case MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword)):
                return "unsafe code is not allowed in submissions";
            case MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword)):
                return "extern (native) methods are not allowed in submissions";
            case DestructorDeclarationSyntax:
                return "finalizers are not allowed in submissions (they run on the runtime's thread, outside any test)";
            case LocalFunctionStatementSyntax local when local.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword) || m.IsKind(SyntaxKind.ExternKeyword)):
                return "unsafe or extern code is not allowed in submissions";
            case ExpressionSyntax expression:
                var symbol = model.GetSymbolInfo(expression).Symbol;
                if (symbol is not null && SymbolViolation(compilation, symbol) is { } symbolReason)
                {
                    return symbolReason;
                }
                var type = model.GetTypeInfo(expression).Type;
                return type is null ? null : TypeViolation(compilation, type);
            default:
                return null;
        }
    }

    private static string? SymbolViolation(CSharpCompilation compilation, ISymbol symbol)
    {
        switch (symbol)
        {
            case ITypeSymbol type:
                return TypeViolation(compilation, type);
            case INamespaceSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol:
                return null;
        }
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }
        var owner = symbol.ContainingType;
        if (owner is null || SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }
        if (TypeViolation(compilation, owner) is { } ownerReason)
        {
            return ownerReason;
        }
        var ns = owner.ContainingNamespace.ToDisplayString();
        if (ns == "System" && owner.Name == "Console" && !AllowedConsoleMembers.Contains(symbol.Name))
        {
            return $"{Display(symbol)} is not allowed in submissions (only Console.Write and Console.WriteLine are)";
        }
        if (ns.StartsWith("TorchSharp", StringComparison.Ordinal) && DeniedTorchSharpMembers.Any(d => symbol.Name.StartsWith(d, StringComparison.Ordinal)))
        {
            return $"{Display(symbol)} is not allowed in submissions (reads or writes files)";
        }
        return null;
    }

    private static string? TypeViolation(CSharpCompilation compilation, ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return TypeViolation(compilation, array.ElementType);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return "unsafe code is not allowed in submissions";
            case IDynamicTypeSymbol:
                return "dynamic is not allowed in submissions (it binds through reflection)";
            case ITypeParameterSymbol or IErrorTypeSymbol:
                return null;
            case INamedTypeSymbol named:
                if (named.IsTupleType || named.IsAnonymousType || SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, compilation.Assembly))
                {
                    return named.TypeArguments.Select(t => TypeViolation(compilation, t)).FirstOrDefault(r => r is not null);
                }
                var definition = named.OriginalDefinition;
                if (!IsAllowedType(definition))
                {
                    return $"{Display(definition)} is not allowed in submissions ({Category(definition)})";
                }
                return named.TypeArguments.Select(t => TypeViolation(compilation, t)).FirstOrDefault(r => r is not null);
            default:
                return null;
        }
    }

    private static bool IsAllowedType(INamedTypeSymbol type)
    {
        var outermost = type;
        while (outermost.ContainingType is not null)
        {
            outermost = outermost.ContainingType;
        }
        var ns = outermost.ContainingNamespace.ToDisplayString();
        if (ns == "TorchSharp" || (ns.StartsWith("TorchSharp.", StringComparison.Ordinal) && !ns.StartsWith("TorchSharp.PInvoke", StringComparison.Ordinal)))
        {
            return true;
        }
        if (ns == "System")
        {
            return AllowedSystemTypes.Contains(outermost.MetadataName);
        }
        if (ns == "System.Text")
        {
            return outermost.Name == "StringBuilder";
        }
        return AllowedNamespaces.Contains(ns);
    }

    private static string Category(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString();
        return name switch
        {
            _ when name.StartsWith("System.Reflection", StringComparison.Ordinal) || name is "System.Type" or "System.Activator" => "reflection",
            _ when name.StartsWith("System.Runtime.InteropServices", StringComparison.Ordinal) => "native interop",
            _ when name.StartsWith("System.IO", StringComparison.Ordinal) => "file access",
            _ when name.StartsWith("System.Net", StringComparison.Ordinal) => "network access",
            _ when name.StartsWith("System.Diagnostics", StringComparison.Ordinal) => "processes and diagnostics",
            _ when name.StartsWith("System.Threading", StringComparison.Ordinal) => "threads and tasks",
            _ when name.StartsWith("System.Runtime.Loader", StringComparison.Ordinal) || name == "System.AppDomain" => "assembly loading",
            "System.Environment" or "System.AppContext" or "System.GC" => "process environment",
            _ => "not on the submission allow-list",
        };
    }

    private static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
