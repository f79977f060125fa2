using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BugHunt.Core.Mutants;

/// <summary>Mutations of numbers and their operators: bounds, comparisons, signs, constants, square roots.</summary>
internal static class ArithmeticOperators
{
    private static readonly Dictionary<SyntaxKind, string> Flipped = new()
    {
        [SyntaxKind.LessThanToken] = "<=",
        [SyntaxKind.LessThanEqualsToken] = "<",
        [SyntaxKind.GreaterThanToken] = ">=",
        [SyntaxKind.GreaterThanEqualsToken] = ">",
        [SyntaxKind.EqualsEqualsToken] = "!=",
        [SyntaxKind.ExclamationEqualsToken] = "==",
    };

    private static readonly Dictionary<string, string> FlippedMethods = new(StringComparer.Ordinal)
    {
        ["lt"] = "le",
        ["le"] = "lt",
        ["gt"] = "ge",
        ["ge"] = "gt",
        ["eq"] = "ne",
        ["ne"] = "eq",
        ["less"] = "less_equal",
        ["less_equal"] = "less",
        ["greater"] = "greater_equal",
        ["greater_equal"] = "greater",
        ["not_equal"] = "eq",
    };

    private static readonly HashSet<string> Sqrt = new(StringComparer.Ordinal) { "Math.Sqrt", "MathF.Sqrt", "torch.sqrt" };

    /// <summary>Loop bounds, slice / narrow / arange / select / diagonal arguments, <c>^k</c> indices and <c>n ± k</c> move by one.</summary>
    public static void OffByOne(SyntaxNode node, FileSites sites, string op)
    {
        switch (node)
        {
            case BinaryExpressionSyntax b when IsLoopCondition(b) && Flipped.TryGetValue(b.OperatorToken.Kind(), out var flipped) && !b.IsKind(SyntaxKind.EqualsExpression) && !b.IsKind(SyntaxKind.NotEqualsExpression):
                // i < n runs once more as i <= n and once less as i < n - 1; the other directions alike.
                sites.Replace(op, b.OperatorToken, flipped, b);
                var opposite = b.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.GreaterThanOrEqualExpression ? -1 : 1;
                sites.Replace(op, b.Right, Plus(b.Right, opposite), b);
                break;
            case VariableDeclaratorSyntax { Parent.Parent: ForStatementSyntax, Initializer.Value: var start } v when FileSites.IntegerValue(start) is { } first:
                sites.Replace(op, start, (first + 1).ToString(CultureInfo.InvariantCulture), v);
                break;
            case ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } arg when IsBound(call, arg):
                sites.Replace(op, arg.Expression, Plus(arg.Expression, 1), arg);
                sites.Replace(op, arg.Expression, Plus(arg.Expression, -1), arg);
                break;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression, Operand: var fromEnd } hat when FileSites.IntegerValue(fromEnd) is { } k:
                sites.Replace(op, fromEnd, (k + 1).ToString(CultureInfo.InvariantCulture), hat);
                if (k > 1)
                {
                    sites.Replace(op, fromEnd, (k - 1).ToString(CultureInfo.InvariantCulture), hat);
                }
                break;
            case RangeExpressionSyntax range:
                foreach (var end in new[] { range.LeftOperand, range.RightOperand }.OfType<ExpressionSyntax>().Where(e => e is not PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression }))
                {
                    sites.Replace(op, end, Plus(end, 1), range);
                    sites.Replace(op, end, Plus(end, -1), range);
                }
                break;
            case BinaryExpressionSyntax b when b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
                && b.Right is LiteralExpressionSyntax && FileSites.IntegerValue(b.Right) is long k && k > 0:
                sites.Replace(op, b.Right, (k + 1).ToString(CultureInfo.InvariantCulture), b);
                sites.Replace(op, b, k == 1 ? b.Left.ToString() : $"{b.Left} {b.OperatorToken} {k - 1}", b);
                break;
        }
    }

    public static void ComparisonFlip(SyntaxNode node, FileSites sites, string op)
    {
        switch (node)
        {
            case BinaryExpressionSyntax b when !IsLoopCondition(b) && Flipped.TryGetValue(b.OperatorToken.Kind(), out var flipped) && b is not { Right: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } }:
                sites.Replace(op, b.OperatorToken, flipped, b);
                break;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call when FlippedMethods.TryGetValue(m.Name.Identifier.Text, out var to):
                sites.Replace(op, m.Name.Identifier, to, call);
                break;
        }
    }

    /// <summary>A unary minus removed (or added on a returned tensor), <c>+</c> ↔ <c>-</c>, and <c>1 - p</c> → <c>p</c>.</summary>
    public static void SignFlip(SyntaxNode node, FileSites sites, string op)
    {
        switch (node)
        {
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression)
                && (u.Operand is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } || sites.Tensors.IsTensor(u.Operand)):
                sites.Replace(op, u, u.Operand.ToString());
                break;
            case ReturnStatementSyntax { Expression: { } e } when e is not PrefixUnaryExpressionSyntax && sites.Tensors.IsTensor(e) && !sites.Tensors.IsConstant(e):
                sites.Replace(op, e, "-" + FileSites.Wrap(e));
                break;
            case BinaryExpressionSyntax b when b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression && !IsText(b)
                && b.Right is not LiteralExpressionSyntax { Token.Value: int or long }:
                sites.Replace(op, b.OperatorToken, b.IsKind(SyntaxKind.AddExpression) ? "-" : "+", b);
                if (b.IsKind(SyntaxKind.SubtractExpression) && b.Left is LiteralExpressionSyntax { Token.Value: 1 or 1.0 or 1.0f })
                {
                    sites.Replace(op, b, b.Right.ToString());
                }
                break;
        }
    }

    /// <summary>Floating-point constants (learning rates, epsilons, scales): ×100 when at most 1e-3, else ×2.</summary>
    public static void ConstantPerturbed(SyntaxNode node, FileSites sites, string op)
    {
        if (node is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal || Perturbed(literal.Token.Text) is not { } to)
        {
            return;
        }
        sites.Replace(op, literal, to, literal.Parent is ArgumentSyntax or EqualsValueClauseSyntax ? literal.Parent : literal);
    }

    public static void SqrtRemoved(SyntaxNode node, FileSites sites, string op)
    {
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call)
        {
            return;
        }
        if (Sqrt.Contains(m.ToString()) && call.ArgumentList.Arguments is [{ NameColon: null } only])
        {
            sites.Replace(op, call, FileSites.Wrap(only.Expression));
        }
        else if (m.Name.Identifier.Text == "sqrt" && call.ArgumentList.Arguments.Count == 0)
        {
            sites.Replace(op, call, m.Expression.ToString());
        }
    }

    internal static string? Perturbed(string text)
    {
        var isReal = !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("0b", StringComparison.OrdinalIgnoreCase)
            && text.IndexOfAny(['.', 'e', 'E', 'f', 'F', 'd', 'D', 'm', 'M']) >= 0;
        var suffix = text.Length > 0 && "fFdDmM".Contains(text[^1], StringComparison.Ordinal) ? text[^1..] : "";
        if (!isReal || !decimal.TryParse(text[..^suffix.Length].Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value == 0)
        {
            return null;
        }
        var to = value <= 0.001m ? value * 100 : value * 2;
        var shown = text.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? ((double)to).ToString("0.###############e0", CultureInfo.InvariantCulture)
            : to.ToString("0.############################", CultureInfo.InvariantCulture);
        if (!shown.Contains('.', StringComparison.Ordinal) && !shown.Contains('e', StringComparison.Ordinal) && suffix.Length == 0)
        {
            shown += ".0";
        }
        return shown + suffix;
    }

    private static bool IsLoopCondition(BinaryExpressionSyntax b) => b.Parent is ForStatementSyntax f && f.Condition == b;

    /// <summary>Arguments that are a start, an end, a length or an index rather than an axis or a size.</summary>
    private static bool IsBound(InvocationExpressionSyntax call, ArgumentSyntax arg)
    {
        var name = FileSites.InvokedName(call);
        if (arg.NameColon is { } named)
        {
            return named.Name.Identifier.Text is "start" or "end" or "stop" or "length" or "diagonal"
                && name is "narrow" or "slice" or "arange" or "Slice" or "tril" or "triu" or "tril_" or "triu_";
        }
        var index = FileSites.Positional(call).ToList().IndexOf(arg);
        var shift = FileSites.IsStaticTorchCall(call) ? 1 : 0;
        return name switch
        {
            "narrow" or "slice" => index == shift + 1 || index == shift + 2,
            "select" => index == shift + 1,
            "tril" or "triu" or "tril_" or "triu_" => index == shift,
            "arange" or "Slice" => true,
            _ => false,
        };
    }

    /// <summary><paramref name="e"/> plus <paramref name="by"/>, folded when <paramref name="e"/> is an integer literal.</summary>
    private static string Plus(ExpressionSyntax e, int by)
    {
        if (FileSites.IntegerValue(e) is { } value)
        {
            return (value + by).ToString(CultureInfo.InvariantCulture);
        }
        var operand = e is BinaryExpressionSyntax b && b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
            or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression
            || e is CastExpressionSyntax or PrefixUnaryExpressionSyntax
            ? e.ToString()
            : FileSites.Wrap(e);
        return by > 0 ? $"{operand} + {by}" : $"{operand} - {-by}";
    }

    private static bool IsText(BinaryExpressionSyntax b) => b.DescendantNodesAndSelf().Any(n =>
        n is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression or (int)SyntaxKind.CharacterLiteralExpression }
            or InterpolatedStringExpressionSyntax
            || (n is InvocationExpressionSyntax call && FileSites.InvokedName(call) == "ToString"));
}
