using BugHunt.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BugHunt.Runner;

/// <summary>
/// What the policy is checking. A notebook cell is checked like a submission, with three
/// differences of scope: the submission's assembly and the earlier cells' (checked already) count
/// as the candidate's own code, the members of the cell's globals type (the display helpers and
/// Seed) are allowed, and the messages speak of cells. Nothing else of the runner is allowed.
/// </summary>
internal sealed record PolicyScope(string Subject, IReadOnlyList<IAssemblySymbol> Own, Type? Host)
{
    public static readonly PolicyScope Submission = new("submissions", [], null);
}

/// <summary>
/// The submission API policy, checked on Roslyn's semantic model before anything of the submission
/// runs. Every symbol and type an expression uses must come from the submission itself or from the
/// allow-list (System basics, collections, LINQ, Math, the TorchSharp surface); whatever is not
/// listed (reflection, interop, files, network, processes, environment, threads, assembly loading,
/// clocks and unseeded randomness) is refused with the symbol and its location. Submissions declare
/// types only in the namespaces the challenge allows and use only allow-listed attributes, so a
/// look-alike of a framework type (a home-made StructLayoutAttribute, say) cannot exist. What was
/// compiled is checked again on its metadata (<see cref="EmittedCodeCheck"/>).
/// </summary>
internal static class SubmissionPolicy
{
    // The framework assemblies allowed types may come from; a type of the same name elsewhere is not allowed.
    private static readonly HashSet<string> FrameworkAssemblies = new(StringComparer.Ordinal)
    {
        "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Console",
        "System.Runtime.Extensions", "System.Memory", "System.Numerics.Vectors", "System.Runtime.Numerics", "netstandard",
    };

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
        "AttributeUsageAttribute", "AttributeTargets", "MidpointRounding", "StringSplitOptions", "IFormatProvider", "Comparer`1",
    };

    private static readonly string[] AllowedNamespaces =
    [
        "System.Collections", "System.Collections.Generic", "System.Collections.ObjectModel", "System.Linq",
        "System.Text", "System.Numerics",
    ];

    // Allowed namespaces still hold a few types that start threads or read entropy.
    private static readonly HashSet<string> DeniedTypes = new(StringComparer.Ordinal)
    {
        "System.Linq.ParallelEnumerable", "System.Linq.ParallelQuery", "System.Linq.ParallelQuery`1", "System.Linq.OrderedParallelQuery`1",
        "System.Collections.Generic.IAsyncEnumerable`1", "System.Collections.Generic.IAsyncEnumerator`1",
        // Queryable compiles expression trees through reflection.
        "System.Linq.Queryable", "System.Linq.IQueryable", "System.Linq.IQueryable`1", "System.Linq.IOrderedQueryable",
        "System.Linq.IOrderedQueryable`1", "System.Linq.EnumerableQuery", "System.Linq.EnumerableQuery`1", "System.Linq.IQueryProvider",
    };

    // Members of allowed types that draw on process-wide entropy.
    private static readonly HashSet<string> UnseededMembers = new(StringComparer.Ordinal)
    {
        "System.Linq.Enumerable.Shuffle", "System.Random.Shared",
    };

    // The attributes a submission may apply; its own attribute classes are allowed too.
    private static readonly HashSet<string> AllowedAttributes = new(StringComparer.Ordinal)
    {
        "System.FlagsAttribute", "System.ObsoleteAttribute", "System.AttributeUsageAttribute", "TorchSharp.Utils.ComponentNameAttribute",
    };

    private static readonly HashSet<string> AllowedConsoleMembers = new(StringComparer.Ordinal) { "Write", "WriteLine" };

    // Hash codes of strings, objects and tuples are randomised per process: a verdict must not depend on them.
    private static readonly HashSet<SpecialType> DeterministicHashTypes =
    [
        SpecialType.System_Boolean, SpecialType.System_Char, SpecialType.System_SByte, SpecialType.System_Byte,
        SpecialType.System_Int16, SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32,
        SpecialType.System_Int64, SpecialType.System_UInt64, SpecialType.System_Decimal, SpecialType.System_Single,
        SpecialType.System_Double, SpecialType.System_Enum,
    ];

    public static IReadOnlyList<SourceDiagnostic> Check(CSharpCompilation compilation, SubmissionRules rules) =>
        Check(compilation, rules, PolicyScope.Submission);

    public static IReadOnlyList<SourceDiagnostic> Check(CSharpCompilation compilation, SubmissionRules rules, PolicyScope scope)
    {
        var violations = new List<SourceDiagnostic>();
        var seen = new HashSet<(string, int)>();
        void Add(Location location, string reason)
        {
            var span = location.GetLineSpan();
            var line = span.StartLinePosition.Line + 1;
            if (seen.Add((span.Path, line)))
            {
                violations.Add(new SourceDiagnostic(span.Path, line, span.StartLinePosition.Character + 1, "BH0001", reason));
            }
        }
        var policy = new Checker(compilation, rules, scope);
        foreach (var tree in compilation.SyntaxTrees)
        {
            // A script's #r and #load would reach past the fixed references and into the file system.
            foreach (var directive in tree.GetRoot().DescendantTrivia().Where(t => t.IsKind(SyntaxKind.ReferenceDirectiveTrivia) || t.IsKind(SyntaxKind.LoadDirectiveTrivia)))
            {
                Add(directive.GetLocation(), $"#r and #load are not allowed in {scope.Subject} (your files and TorchSharp are referenced already)");
            }
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodesAndSelf())
            {
                if (policy.Violation(model, node) is { } reason)
                {
                    Add(node.GetLocation(), reason);
                }
            }
        }
        return violations;
    }

    private sealed class Checker(CSharpCompilation compilation, SubmissionRules rules, PolicyScope scope)
    {
        private string Where => scope.Subject;

        public string? Violation(SemanticModel model, SyntaxNode node)
        {
            switch (node)
            {
                case PointerTypeSyntax or FunctionPointerTypeSyntax or FixedStatementSyntax or UnsafeStatementSyntax
                    or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                    return $"unsafe code and stackalloc are not allowed in {Where}";
                case MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax:
                    return $"typed references (__makeref, __reftype, __refvalue) are not allowed in {Where}";
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.ArgListExpression }:
                    return $"__arglist is not allowed in {Where}";
                case MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword)):
                    return $"unsafe code is not allowed in {Where}";
                case MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword)):
                    return $"extern (native) methods are not allowed in {Where}";
                case LocalFunctionStatementSyntax local when local.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword) || m.IsKind(SyntaxKind.ExternKeyword)):
                    return $"unsafe or extern code is not allowed in {Where}";
                case DestructorDeclarationSyntax:
                    return $"finalizers are not allowed in {Where} (they run on the runtime's thread, outside any test)";
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    return DeclarationViolation(model.GetDeclaredSymbol(node) as INamedTypeSymbol);
                case MethodDeclarationSyntax method when method.Modifiers.Any(m => m.IsKind(SyntaxKind.OverrideKeyword)):
                    return OverrideViolation(model.GetDeclaredSymbol(method));
                case AttributeSyntax attribute:
                    return AttributeViolation(model.GetSymbolInfo(attribute).Symbol?.ContainingType);
                case ExpressionSyntax expression:
                    var symbol = model.GetSymbolInfo(expression).Symbol;
                    if (symbol is not null && SymbolViolation(symbol) is { } symbolReason)
                    {
                        return symbolReason;
                    }
                    var typeInfo = model.GetTypeInfo(expression);
                    // A lambda has no type of its own, only the one it converts to (a delegate, or an expression tree).
                    var type = typeInfo.Type ?? (expression is AnonymousFunctionExpressionSyntax ? typeInfo.ConvertedType : null);
                    return type is null ? null : TypeViolation(type);
                default:
                    return null;
            }
        }

        private bool IsOwn(ISymbol symbol) =>
            symbol.ContainingAssembly is { } assembly
            && (SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly) || scope.Own.Any(own => own.Identity.Equals(assembly.Identity)));

        /// <summary>A member of the notebook's globals type: the display helpers and Seed, nothing else of the runner.</summary>
        private bool IsHostMember(ISymbol symbol) =>
            scope.Host is { } host && symbol.ContainingType is { } type
            && type.ContainingAssembly?.Name == host.Assembly.GetName().Name
            && type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)) == host.FullName;

        private string? DeclarationViolation(INamedTypeSymbol? type)
        {
            if (type is null || type.ContainingType is not null)
            {
                return null;
            }
            var ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
            if (ns.Length == 0 || rules.Namespaces.Any(allowed => ns == allowed || ns.StartsWith(allowed + ".", StringComparison.Ordinal)))
            {
                return null;
            }
            var allowedText = rules.Namespaces.Count == 0 ? "only the global namespace" : "only the global namespace and " + string.Join(", ", rules.Namespaces);
            return $"type {type.Name} is declared in namespace {ns}; submissions may declare types in {allowedText}";
        }

        private string? OverrideViolation(IMethodSymbol? method)
        {
            var overridden = method?.OverriddenMethod;
            if (overridden is null || IsOwn(overridden) || overridden.Name is not ("Dispose" or "Finalize"))
            {
                return null;
            }
            return $"overriding {Display(overridden)} is not allowed in {Where} (the runtime calls it on its finalizer thread, outside any test)";
        }

        private string? AttributeViolation(INamedTypeSymbol? attribute)
        {
            if (attribute is null || IsOwn(attribute))
            {
                return null;
            }
            var name = attribute.ToDisplayString();
            return AllowedAttributes.Contains(name) && (FrameworkAssemblies.Contains(attribute.ContainingAssembly.Name) || TorchSharpSurface.IsTorchSharp(attribute))
                ? null
                : $"attribute {name} is not allowed in {Where} (allowed: {string.Join(", ", AllowedAttributes.Order(StringComparer.Ordinal))})";
        }

        private string? SymbolViolation(ISymbol symbol)
        {
            switch (symbol)
            {
                case ITypeSymbol type:
                    return TypeViolation(type);
                case INamespaceSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol:
                    return null;
            }
            if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
            {
                symbol = reduced;
            }
            if (RuleViolation(symbol) is { } ruleReason)
            {
                return ruleReason;
            }
            var owner = symbol.ContainingType;
            if (owner is null || IsOwn(symbol) || IsHostMember(symbol))
            {
                return null;
            }
            if (TypeViolation(owner) is { } ownerReason)
            {
                return ownerReason;
            }
            var ownerName = owner.OriginalDefinition.ToDisplayString();
            if (ownerName == "System.Console" && !AllowedConsoleMembers.Contains(symbol.Name))
            {
                return $"{Display(symbol)} is not allowed in {Where} (only Console.Write and Console.WriteLine are)";
            }
            if (UnseededMembers.Contains(ownerName + "." + symbol.Name) || (ownerName == "System.Random" && symbol is IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters.Length: 0 }))
            {
                return $"{Display(symbol)} is not allowed in {Where} (unseeded randomness makes verdicts nondeterministic: use new Random(seed) or TorchSharp with torch.manual_seed)";
            }
            if (symbol.Name == "GetHashCode" && !DeterministicHashTypes.Contains(owner.SpecialType) && owner.TypeKind != TypeKind.Enum)
            {
                return $"{Display(symbol)} is not allowed in {Where} (hash codes of framework types are randomised per process, so verdicts would be nondeterministic)";
            }
            if (TorchSharpSurface.IsTorchSharp(owner) && TorchSharpSurface.DeniedMember(symbol) is { } why)
            {
                return $"{Display(symbol)} is not allowed in {Where} ({why})";
            }
            return null;
        }

        /// <summary>The challenge's own rules (rules: in challenge.yaml), quoted with their reason.</summary>
        private string? RuleViolation(ISymbol symbol)
        {
            if (rules.Forbidden.Count == 0 || IsOwn(symbol))
            {
                return null;
            }
            var definition = symbol.OriginalDefinition;
            var names = new List<string>();
            if (definition is INamedTypeSymbol type)
            {
                names.Add(type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)));
            }
            else if (definition.ContainingType is { } container)
            {
                names.Add(container.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + definition.Name);
            }
            foreach (var rule in rules.Forbidden)
            {
                if (names.Any(n => n == rule.Symbol || n.StartsWith(rule.Symbol + ".", StringComparison.Ordinal)))
                {
                    return $"{Display(symbol)} breaks a rule of this challenge: {rule.Reason}";
                }
            }
            return null;
        }

        private string? TypeViolation(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return TypeViolation(array.ElementType);
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                    return $"unsafe code is not allowed in {Where}";
                case IDynamicTypeSymbol:
                    return $"dynamic is not allowed in {Where} (it binds through reflection)";
                case ITypeParameterSymbol or IErrorTypeSymbol:
                    return null;
                case INamedTypeSymbol named:
                    if (!named.IsTupleType && !named.IsAnonymousType && !IsOwn(named))
                    {
                        var definition = named.OriginalDefinition;
                        if (!IsAllowedType(definition))
                        {
                            return $"{Display(definition)} is not allowed in {Where} ({Category(definition)})";
                        }
                        if (RuleViolation(definition) is { } ruleReason)
                        {
                            return ruleReason;
                        }
                    }
                    return named.TypeArguments.Select(TypeViolation).FirstOrDefault(r => r is not null);
                default:
                    return null;
            }
        }

        private static bool IsAllowedType(INamedTypeSymbol type)
        {
            if (TorchSharpSurface.IsTorchSharp(type))
            {
                return TorchSharpSurface.IsAllowedType(type);
            }
            if (!FrameworkAssemblies.Contains(type.ContainingAssembly?.Name ?? "") || DeniedTypes.Contains(type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + Arity(type)))
            {
                return false;
            }
            var outermost = type;
            while (outermost.ContainingType is not null)
            {
                outermost = outermost.ContainingType;
            }
            var ns = outermost.ContainingNamespace.ToDisplayString();
            return ns switch
            {
                "System" => AllowedSystemTypes.Contains(outermost.MetadataName),
                "System.Text" => outermost.Name == "StringBuilder",
                _ => AllowedNamespaces.Contains(ns),
            };
        }

        private static string Arity(INamedTypeSymbol type) => type.Arity == 0 ? "" : "`" + type.Arity;
    }

    private static string Category(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString();
        return name switch
        {
            _ when name.StartsWith("TorchSharp", StringComparison.Ordinal) => "outside the allowed TorchSharp surface: files, threads, TorchScript, tensorboard, data loaders, native code",
            _ when name.StartsWith("System.Reflection", StringComparison.Ordinal) || name is "System.Type" or "System.Activator" => "reflection",
            _ when name.StartsWith("System.Runtime.InteropServices", StringComparison.Ordinal) => "native interop",
            _ when name.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal) => "runtime internals",
            _ when name.StartsWith("System.IO", StringComparison.Ordinal) => "file access",
            _ when name.StartsWith("System.Net", StringComparison.Ordinal) => "network access",
            _ when name.StartsWith("System.Diagnostics", StringComparison.Ordinal) => "processes, clocks and diagnostics",
            _ when name.StartsWith("System.Threading", StringComparison.Ordinal) || name.StartsWith("System.Linq.Parallel", StringComparison.Ordinal) => "threads and tasks",
            _ when name.StartsWith("System.Runtime.Loader", StringComparison.Ordinal) || name == "System.AppDomain" => "assembly loading",
            "System.Environment" or "System.AppContext" or "System.GC" => "process environment",
            "System.DateTime" or "System.DateTimeOffset" or "System.TimeProvider" or "System.Guid" or "System.HashCode" => "clocks and entropy make verdicts nondeterministic",
            _ => "not on the submission allow-list",
        };
    }

    private static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
