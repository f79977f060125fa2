using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace BugHunt.Core.Mutants;

/// <summary>Mutations of how tensors are shaped and wired: axes, keepdim, shapes, gradients, clamps, argument order.</summary>
internal static class TensorOperators
{
    /// <summary>Every integer literal argument of these is an axis (after the input tensor of the torch.* form).</summary>
    private static readonly HashSet<string> AxisEverywhere = new(StringComparer.Ordinal)
    {
        "transpose", "swapaxes", "swapdims", "permute", "movedim", "moveaxis", "unsqueeze", "squeeze", "flatten", "view", "reshape",
        "sum", "mean", "nansum", "nanmean", "amax", "amin", "max", "min", "argmax", "argmin", "softmax", "log_softmax", "logsumexp",
        "cumsum", "cumprod", "prod", "std", "var", "all", "any", "sort", "argsort", "flip", "median", "mode", "unbind", "count_nonzero",
        "normalize",
    };

    /// <summary>The first argument (after the input tensor) of these is an axis.</summary>
    private static readonly HashSet<string> AxisFirst = new(StringComparer.Ordinal)
    {
        "gather", "scatter", "scatter_add", "scatter_", "narrow", "select", "index_select", "index_add", "index_fill", "index_copy",
        "cat", "concat", "concatenate", "stack",
    };

    /// <summary>The second argument (after the input tensor) of these is an axis.</summary>
    private static readonly HashSet<string> AxisSecond = new(StringComparer.Ordinal)
    {
        "chunk", "split", "topk", "kthvalue", "tensor_split", "take_along_dim",
    };

    private static readonly HashSet<string> AxisParameters = new(StringComparer.Ordinal)
    {
        "dim", "dim0", "dim1", "axis", "dimension", "start_dim", "end_dim",
    };

    private static readonly Dictionary<long, long[]> AxisSwaps = new()
    {
        [-2] = [-1],
        [-1] = [1, -2],
        [0] = [1],
        [1] = [0, -1, 2],
        [2] = [1],
    };

    private static readonly HashSet<string> Reductions = new(StringComparer.Ordinal)
    {
        "sum", "mean", "nansum", "nanmean", "max", "min", "amax", "amin", "argmax", "argmin", "logsumexp", "std", "var", "prod",
        "norm", "median", "all", "any", "count_nonzero",
    };

    private static readonly HashSet<string> ClampedInputs = new(StringComparer.Ordinal)
    {
        "exp", "log", "softmax", "log_softmax", "sigmoid", "log1p", "expm1",
    };

    /// <summary>Operations whose two tensor operands play different roles, so swapping them is a real fault.</summary>
    private static readonly HashSet<string> Asymmetric = new(StringComparer.Ordinal)
    {
        "matmul", "mm", "bmm", "sub", "subtract", "div", "divide", "true_divide", "pow", "fmod", "remainder",
        "cross_entropy", "mse_loss", "l1_loss", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
        "smooth_l1_loss", "huber_loss", "margin_ranking_loss",
    };

    public static void AxisSwap(SyntaxNode node, FileSites sites, string op)
    {
        if (node is not ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } arg || FileSites.IntegerValue(arg.Expression) is not { } axis
            || !AxisSwaps.TryGetValue(axis, out var swaps) || !IsAxis(call, arg, sites.Tensors))
        {
            return;
        }
        foreach (var to in swaps)
        {
            sites.Replace(op, arg.Expression, to.ToString(CultureInfo.InvariantCulture), arg);
        }
    }

    public static void KeepdimFlip(SyntaxNode node, FileSites sites, string op)
    {
        if (node is not ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call, Expression: LiteralExpressionSyntax literal } arg
            || literal.Kind() is not (SyntaxKind.TrueLiteralExpression or SyntaxKind.FalseLiteralExpression))
        {
            return;
        }
        var keepdim = arg.NameColon is { } named
            ? named.Name.Identifier.Text is "keepdim" or "keepDim" or "keep_dim"
            : Reductions.Contains(FileSites.InvokedName(call)) || ParameterName(call, arg, sites.Tensors) is "keepdim" or "keepDim";
        if (keepdim)
        {
            sites.Replace(op, literal, literal.IsKind(SyntaxKind.TrueLiteralExpression) ? "false" : "true", arg);
        }
    }

    /// <summary>A size read from a shape becomes 2 or 4: a probe that only ever uses one size cannot tell.</summary>
    public static void ShapeConstant(SyntaxNode node, FileSites sites, string op)
    {
        var isShape = node switch
        {
            ElementAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "shape" } } => true,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "size" }, ArgumentList.Arguments.Count: 1 } => true,
            MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" or "Count" } m => FileSites.UsesTorch(m)
                && m.Parent is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax)
                && (m.Parent as AssignmentExpressionSyntax)?.Left != m,
            _ => false,
        };
        if (isShape)
        {
            sites.Replace(op, node, "2");
            sites.Replace(op, node, "4");
        }
    }

    public static void Detach(SyntaxNode node, FileSites sites, string op)
    {
        var e = node switch
        {
            ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } a when sites.Tensors.IsTensor(call) => a.Expression,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax } v => v.Value,
            AssignmentExpressionSyntax { Left: not (DeclarationExpressionSyntax or TupleExpressionSyntax) } a
                when a.IsKind(SyntaxKind.SimpleAssignmentExpression) => a.Right,
            _ => Returned(node),
        };
        if (e is not null && IsLiveTensor(e, sites) && !FileSites.UnderNoGrad(e)
            && e is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "detach" } })
        {
            sites.Replace(op, e, FileSites.Wrap(e) + ".detach()");
        }
    }

    /// <summary>A clamp or nan_to_num that the probed values never reach is invisible: it hides real overflow.</summary>
    public static void ClampInserted(SyntaxNode node, FileSites sites, string op)
    {
        var e = node switch
        {
            ArgumentSyntax { NameColon: null, Parent.Parent: InvocationExpressionSyntax call } a
                when ClampedInputs.Contains(FileSites.InvokedName(call)) && FileSites.IsStaticTorchCall(call) => a.Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call
                when ClampedInputs.Contains(m.Name.Identifier.Text) && !FileSites.IsStaticTorchCall(call) => m.Expression,
            _ => Returned(node),
        };
        if (e is not null && IsLiveTensor(e, sites))
        {
            sites.Replace(op, e, FileSites.Wrap(e) + ".clamp(-10, 10)");
            sites.Replace(op, e, $"torch.nan_to_num({e})");
        }
    }

    public static void ArgumentSwap(SyntaxNode node, FileSites sites, string op)
    {
        if (node is not InvocationExpressionSyntax call)
        {
            return;
        }
        var name = FileSites.InvokedName(call);
        var args = FileSites.Positional(call);
        var tensors = sites.Tensors;
        if (Asymmetric.Contains(name))
        {
            if (call.Expression is MemberAccessExpressionSyntax m && !FileSites.IsStaticTorchCall(call))
            {
                // a.sub(b) -> b.sub(a)
                if (args.Count == 1 && tensors.IsTensor(m.Expression) && tensors.IsTensor(args[0].Expression))
                {
                    sites.Replace(op, call, $"{FileSites.Wrap(args[0].Expression)}.{m.Name}({m.Expression})");
                }
            }
            else if (args.Count >= 2 && tensors.IsTensor(args[0].Expression) && tensors.IsTensor(args[1].Expression))
            {
                Swap(sites, op, call, args[0], args[1]);
            }
            return;
        }
        if (name == "where" && FileSites.IsStaticTorchCall(call) && args.Count == 3)
        {
            Swap(sites, op, call, args[1], args[2]);
            return;
        }
        // The reference's own methods: neighbouring parameters of one type (inputs/targets, batchSize/blockSize).
        if (tensors.ParametersOf(name) is { } parameters)
        {
            for (var i = 0; i + 1 < args.Count && i + 1 < parameters.Count; i++)
            {
                if (parameters[i].Type == parameters[i + 1].Type && parameters[i].Type.Length > 0)
                {
                    Swap(sites, op, call, args[i], args[i + 1]);
                }
            }
        }
    }

    private static void Swap(FileSites sites, string op, InvocationExpressionSyntax call, ArgumentSyntax a, ArgumentSyntax b)
    {
        var between = sites.Text.ToString(TextSpan.FromBounds(a.Span.End, b.Span.Start));
        sites.Replace(op, TextSpan.FromBounds(a.Span.Start, b.Span.End), call, $"{b}{between}{a}", call);
    }

    private static bool IsLiveTensor(ExpressionSyntax e, FileSites sites) =>
        FileSites.UsesTorch(e) && sites.Tensors.IsTensor(e) && !sites.Tensors.IsConstant(e);

    private static ExpressionSyntax? Returned(SyntaxNode node) => node switch
    {
        ReturnStatementSyntax r => r.Expression,
        ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or PropertyDeclarationSyntax } a => a.Expression,
        _ => null,
    };

    private static bool IsAxis(InvocationExpressionSyntax call, ArgumentSyntax arg, TensorGuess tensors)
    {
        if (arg.NameColon is { } named)
        {
            return AxisParameters.Contains(named.Name.Identifier.Text);
        }
        var name = FileSites.InvokedName(call);
        if (ParameterName(call, arg, tensors) is { } parameter)
        {
            return AxisParameters.Contains(parameter);
        }
        if (call.Expression is not MemberAccessExpressionSyntax)
        {
            return false;
        }
        var index = FileSites.Positional(call).ToList().IndexOf(arg);
        var shift = FileSites.IsStaticTorchCall(call) ? 1 : 0;
        return AxisEverywhere.Contains(name)
            || (AxisFirst.Contains(name) && index == shift)
            || (AxisSecond.Contains(name) && index == shift + 1);
    }

    /// <summary>The parameter an argument binds to, when the call is to a method of the reference itself.</summary>
    private static string? ParameterName(InvocationExpressionSyntax call, ArgumentSyntax arg, TensorGuess tensors)
    {
        if (tensors.ParametersOf(FileSites.InvokedName(call)) is not { } parameters)
        {
            return null;
        }
        var index = FileSites.Positional(call).ToList().IndexOf(arg);
        return index >= 0 && index < parameters.Count ? parameters[index].Name : null;
    }
}
