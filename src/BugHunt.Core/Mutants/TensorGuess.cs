using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BugHunt.Core.Mutants;

/// <summary>
/// Guesses from syntax alone which expressions are TorchSharp tensors, so that tensor-only
/// mutations (detach, clamp) land where they compile. A guess, not a type check: names declared as
/// <c>Tensor</c>, locals initialised from tensor expressions, calls into <c>torch</c>,
/// <c>nn.functional</c> and <c>forward</c>, methods on tensors, and methods of the reference itself
/// that return <c>Tensor</c>. A tensor is "constant" when nothing can flow into it with a gradient
/// (created by <c>torch.ones</c>, <c>arange</c>, comparisons, argmax…): detaching it changes nothing.
/// </summary>
internal sealed class TensorGuess
{
    private static readonly HashSet<string> TorchNamespaces = new(StringComparer.Ordinal)
    {
        "torch", "nn.functional", "torch.nn.functional", "functional", "nn.init", "torch.nn.init", "torch.linalg", "linalg",
    };

    private static readonly HashSet<string> TorchNonTensorCalls = new(StringComparer.Ordinal)
    {
        "no_grad", "enable_grad", "inference_mode", "set_grad_enabled", "is_grad_enabled", "NewDisposeScope",
        "manual_seed", "set_num_threads", "get_num_threads", "is_tensor", "numel", "cuda_is_available", "WrappedTensorDisposeScope",
    };

    private static readonly HashSet<string> NonTensorMethods = new(StringComparer.Ordinal)
    {
        "item", "ToDouble", "ToSingle", "ToInt64", "ToInt32", "ToBoolean", "ToString", "ToArray", "numel", "dim", "size",
        "backward", "Dispose", "Equals", "GetHashCode", "data", "is_contiguous", "allclose", "equal", "Add", "parameters",
        "named_parameters", "register_buffer", "train", "eval", "step", "zero_grad", "print", "MoveToOuterDisposeScope",
    };

    private static readonly HashSet<string> TensorProperties = new(StringComparer.Ordinal)
    {
        "T", "mT", "mH", "H", "grad", "real", "imag",
    };

    /// <summary>Calls that return a tuple or an array of tensors, never one tensor.</summary>
    private static readonly HashSet<string> TupleCalls = new(StringComparer.Ordinal)
    {
        "topk", "sort", "kthvalue", "mode", "cummax", "cummin", "std_mean", "var_mean", "aminmax", "frexp", "unique",
        "unique_consecutive", "svd", "qr", "slogdet", "split", "chunk", "unbind", "tensor_split", "meshgrid", "broadcast_tensors",
    };

    /// <summary>With an axis these return (values, indexes); without one, or elementwise on two tensors, a tensor.</summary>
    private static readonly HashSet<string> ReductionsWithIndexes = new(StringComparer.Ordinal) { "max", "min", "median", "nanmedian" };

    /// <summary>Results that never carry a gradient: creations, comparisons, indices.</summary>
    private static readonly HashSet<string> ConstantCalls = new(StringComparer.Ordinal)
    {
        "ones", "zeros", "full", "empty", "eye", "arange", "linspace", "tensor", "from_array", "rand", "randn", "randint",
        "ones_like", "zeros_like", "full_like", "empty_like", "rand_like", "randn_like", "multinomial", "argmax", "argmin",
        "argsort", "eq", "ne", "lt", "le", "gt", "ge", "logical_not", "logical_and", "logical_or", "isnan", "isinf", "isfinite",
    };

    private readonly Dictionary<string, ReturnKind> _returns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IReadOnlyList<(string Type, string Name)>>> _parameters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tensorMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<SyntaxNode, Scope> _scopes = [];

    private enum ReturnKind
    {
        Tensor,
        TensorTuple,
        Other,
    }

    private sealed class Scope
    {
        public HashSet<string> Tensors { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Constants { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Learns the reference's own methods, fields and properties from every file of the challenge.</summary>
    public TensorGuess(IEnumerable<SyntaxNode> roots)
    {
        foreach (var node in roots.SelectMany(r => r.DescendantNodes()))
        {
            switch (node)
            {
                case MethodDeclarationSyntax m:
                    Learn(m.Identifier.Text, m.ReturnType, m.ParameterList);
                    break;
                case LocalFunctionStatementSyntax f:
                    Learn(f.Identifier.Text, f.ReturnType, f.ParameterList);
                    break;
                case PropertyDeclarationSyntax p when IsTensorType(p.Type):
                    _tensorMembers.Add(p.Identifier.Text);
                    break;
                case FieldDeclarationSyntax f when IsTensorType(f.Declaration.Type):
                    _tensorMembers.UnionWith(f.Declaration.Variables.Select(v => v.Identifier.Text));
                    break;
            }
        }
    }

    /// <summary>The parameters of the reference's method <paramref name="name"/>, when it has exactly one overload.</summary>
    public IReadOnlyList<(string Type, string Name)>? ParametersOf(string name) =>
        _parameters.TryGetValue(name, out var overloads) && overloads.Count == 1 ? overloads[0] : null;

    public static bool IsTensorType(TypeSyntax? type) =>
        type?.ToString() is "Tensor" or "torch.Tensor" or "TorchSharp.torch.Tensor" or "Tensor?";

    public static bool IsTorchNamespace(ExpressionSyntax e) => TorchNamespaces.Contains(e.ToString());

    public bool IsTensor(ExpressionSyntax e) => IsTensor(e, ScopeOf(e));

    /// <summary>A tensor no gradient can reach: detaching or clamping it is an equivalent mutant.</summary>
    public bool IsConstant(ExpressionSyntax e) => IsConstant(e, ScopeOf(e));

    private void Learn(string name, TypeSyntax returnType, ParameterListSyntax parameters)
    {
        var kind = IsTensorType(returnType) ? ReturnKind.Tensor
            : returnType is TupleTypeSyntax t && t.Elements.All(x => IsTensorType(x.Type)) ? ReturnKind.TensorTuple
            : ReturnKind.Other;
        // Overloads that disagree make the name unknown rather than wrongly a tensor.
        _returns[name] = _returns.TryGetValue(name, out var known) && known != kind ? ReturnKind.Other : kind;
        if (!_parameters.TryGetValue(name, out var overloads))
        {
            _parameters[name] = overloads = [];
        }
        overloads.Add([.. parameters.Parameters.Select(p => (p.Type?.ToString() ?? "", p.Identifier.Text))]);
    }

    private Scope ScopeOf(SyntaxNode node)
    {
        var member = node.AncestorsAndSelf().FirstOrDefault(a => a is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax) ?? node.SyntaxTree.GetRoot();
        if (!_scopes.TryGetValue(member, out var scope))
        {
            _scopes[member] = scope = new Scope();
            Fill(member, scope);
        }
        return scope;
    }

    // Names are learnt in document order, so a local counts as a tensor from its declaration on.
    private void Fill(SyntaxNode member, Scope scope)
    {
        foreach (var node in member.DescendantNodes())
        {
            switch (node)
            {
                case ParameterSyntax p when IsTensorType(p.Type):
                    scope.Tensors.Add(p.Identifier.Text);
                    break;
                case VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax d } v:
                    var init = v.Initializer?.Value;
                    if (IsTensorType(d.Type) || (init is not null && IsTensor(init, scope)))
                    {
                        scope.Tensors.Add(v.Identifier.Text);
                        if (init is not null && IsConstant(init, scope))
                        {
                            scope.Constants.Add(v.Identifier.Text);
                        }
                    }
                    break;
                case AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax names }, Right: InvocationExpressionSyntax call }
                    when ReturnsTensors(call):
                    scope.Tensors.UnionWith(names.Variables.OfType<SingleVariableDesignationSyntax>().Select(n => n.Identifier.Text));
                    break;
            }
        }
    }

    private bool ReturnsTensors(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax m when IsTorchNamespace(m.Expression) => true,
        MemberAccessExpressionSyntax m => _returns.GetValueOrDefault(m.Name.Identifier.Text, ReturnKind.Other) == ReturnKind.TensorTuple,
        SimpleNameSyntax n => _returns.GetValueOrDefault(n.Identifier.Text, ReturnKind.Other) == ReturnKind.TensorTuple,
        _ => false,
    };

    private bool IsTensor(ExpressionSyntax e, Scope scope) => e switch
    {
        ParenthesizedExpressionSyntax p => IsTensor(p.Expression, scope),
        IdentifierNameSyntax id => scope.Tensors.Contains(id.Identifier.Text) || (_tensorMembers.Contains(id.Identifier.Text) && !IsLocalOther(id)),
        InvocationExpressionSyntax call => IsTensorCall(call, scope),
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } m => _tensorMembers.Contains(m.Name.Identifier.Text),
        MemberAccessExpressionSyntax { Name.Identifier.Text: "values" or "indices" or "Values" or "Indices", Expression: InvocationExpressionSyntax } => true,
        MemberAccessExpressionSyntax m => TensorProperties.Contains(m.Name.Identifier.Text) && IsTensor(m.Expression, scope),
        ElementAccessExpressionSyntax a => IsTensor(a.Expression, scope),
        BinaryExpressionSyntax b when b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
            or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression =>
            IsTensor(b.Left, scope) || IsTensor(b.Right, scope),
        PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression) => IsTensor(u.Operand, scope),
        ConditionalExpressionSyntax c => IsTensor(c.WhenTrue, scope) || IsTensor(c.WhenFalse, scope),
        CastExpressionSyntax c => IsTensorType(c.Type),
        _ => false,
    };

    // A field named like a tensor may be shadowed by a parameter or local of another type.
    private static bool IsLocalOther(IdentifierNameSyntax id) =>
        id.Ancestors().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault() is { } method
        && method.DescendantNodes().Any(n =>
            (n is ParameterSyntax p && p.Identifier.Text == id.Identifier.Text && !IsTensorType(p.Type))
            || (n is VariableDeclaratorSyntax v && v.Identifier.Text == id.Identifier.Text));

    private bool IsTensorCall(InvocationExpressionSyntax call, Scope scope)
    {
        switch (call.Expression)
        {
            case SimpleNameSyntax n:
                return _returns.GetValueOrDefault(n.Identifier.Text, ReturnKind.Other) == ReturnKind.Tensor;
            case MemberAccessExpressionSyntax m:
                var name = m.Name.Identifier.Text;
                if (NonTensorMethods.Contains(name) || TupleCalls.Contains(name) || IsReductionWithIndexes(call, m, scope))
                {
                    return false;
                }
                if (name == "forward" || _returns.GetValueOrDefault(name, ReturnKind.Other) == ReturnKind.Tensor)
                {
                    return true;
                }
                return IsTorchNamespace(m.Expression) ? !TorchNonTensorCalls.Contains(name) : IsTensor(m.Expression, scope);
            default:
                return false;
        }
    }

    private bool IsReductionWithIndexes(InvocationExpressionSyntax call, MemberAccessExpressionSyntax m, Scope scope)
    {
        if (!ReductionsWithIndexes.Contains(m.Name.Identifier.Text))
        {
            return false;
        }
        var args = call.ArgumentList.Arguments;
        return IsTorchNamespace(m.Expression)
            ? args.Count >= 2 && !IsTensor(args[1].Expression, scope)
            : args.Count >= 1 && !IsTensor(args[0].Expression, scope);
    }

    private bool IsConstant(ExpressionSyntax e, Scope scope) => e switch
    {
        ParenthesizedExpressionSyntax p => IsConstant(p.Expression, scope),
        IdentifierNameSyntax id => scope.Constants.Contains(id.Identifier.Text),
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call => ConstantCalls.Contains(m.Name.Identifier.Text)
            || (IsTorchNamespace(m.Expression)
                ? TensorArguments(call, scope).Any() && TensorArguments(call, scope).All(a => IsConstant(a, scope))
                : IsConstant(m.Expression, scope) && TensorArguments(call, scope).All(a => IsConstant(a, scope))),
        MemberAccessExpressionSyntax m => IsConstant(m.Expression, scope),
        ElementAccessExpressionSyntax a => IsConstant(a.Expression, scope),
        BinaryExpressionSyntax b => (!IsTensor(b.Left, scope) || IsConstant(b.Left, scope)) && (!IsTensor(b.Right, scope) || IsConstant(b.Right, scope)),
        _ => false,
    };

    private IEnumerable<ExpressionSyntax> TensorArguments(InvocationExpressionSyntax call, Scope scope) =>
        call.ArgumentList.Arguments.Select(a => a.Expression).Where(a => IsTensor(a, scope));
}
