using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace BugHunt.Core.Mutants;

/// <summary>Mutations that call the sibling of a function (tril for triu, min for max, sum for mean) or drop a statement.</summary>
internal static class CallOperators
{
    private static readonly Dictionary<string, string> TrilTriu = Pairs(("tril", "triu"), ("tril_", "triu_"));

    private static readonly Dictionary<string, string> MinMax = Pairs(
        ("min", "max"), ("argmin", "argmax"), ("amin", "amax"), ("Min", "Max"), ("minimum", "maximum"), ("clamp_min", "clamp_max"),
        ("cummin", "cummax"), ("fmin", "fmax"), ("MinBy", "MaxBy"));

    private static readonly Dictionary<string, string> SumMean = Pairs(("sum", "mean"), ("nansum", "nanmean"), ("Sum", "Average"));

    public static void TrilTriuSwap(SyntaxNode node, FileSites sites, string op) => Rename(node, sites, op, TrilTriu);

    public static void MinMaxSwap(SyntaxNode node, FileSites sites, string op) => Rename(node, sites, op, MinMax);

    public static void SumMeanSwap(SyntaxNode node, FileSites sites, string op)
    {
        // TorchSharp's mean takes its axes as an array only: x.sum(dim) becomes x.mean(new long[] { dim }).
        if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "sum" } m } call
            && FileSites.Positional(call).ElementAtOrDefault(FileSites.IsStaticTorchCall(call) ? 1 : 0) is { } axis
            && axis.Expression is not (ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax))
        {
            sites.Replace(op, TextSpan.FromBounds(m.Name.SpanStart, axis.Span.End), call,
                string.Concat("mean", sites.Text.ToString(TextSpan.FromBounds(m.Name.Span.End, axis.SpanStart)), "new long[] { ", axis.ToString(), " }"), call);
            return;
        }
        Rename(node, sites, op, SumMean);
        // reduction: Reduction.Mean <-> Reduction.Sum on a loss
        if (node is MemberAccessExpressionSyntax { Name.Identifier.Text: "Mean" or "Sum" } reduction
            && reduction.Expression.ToString().EndsWith("Reduction", StringComparison.Ordinal))
        {
            sites.Replace(op, reduction.Name.Identifier, reduction.Name.Identifier.Text == "Mean" ? "Sum" : "Mean", reduction);
        }
    }

    /// <summary>One statement deleted: a missing zero_grad, backward, eval or residual add is a classic training fault.
    /// A statement that is the whole body of an if or a loop becomes <c>{ }</c>, so the code still parses.</summary>
    public static void StatementRemoved(SyntaxNode node, FileSites sites, string op)
    {
        if (node is not ExpressionStatementSyntax statement
            || statement.Expression is not (InvocationExpressionSyntax or AssignmentExpressionSyntax or PostfixUnaryExpressionSyntax
                or PrefixUnaryExpressionSyntax or AwaitExpressionSyntax)
            || (statement.Expression is InvocationExpressionSyntax call && FileSites.InvokedName(call).StartsWith("ThrowIf", StringComparison.Ordinal))
            || statement.Expression is AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax or TupleExpressionSyntax })
        {
            return;
        }
        if (statement.Parent is not (BlockSyntax or SwitchSectionSyntax))
        {
            sites.Replace(op, statement, "{ }", statement);
            return;
        }
        var text = sites.Text;
        var first = text.Lines.GetLineFromPosition(statement.SpanStart);
        var last = text.Lines.GetLineFromPosition(statement.Span.End);
        var before = text.ToString(TextSpan.FromBounds(first.Start, statement.SpanStart));
        var after = text.ToString(TextSpan.FromBounds(statement.Span.End, last.End)).Trim();
        var ownLines = before.Trim().Length == 0 && (after.Length == 0 || after.StartsWith("//", StringComparison.Ordinal));
        sites.Replace(op, ownLines ? TextSpan.FromBounds(first.Start, last.EndIncludingLineBreak) : statement.Span, statement, "", statement);
    }

    private static void Rename(SyntaxNode node, FileSites sites, string op, Dictionary<string, string> pairs)
    {
        if (node is not InvocationExpressionSyntax call)
        {
            return;
        }
        var name = call.Expression switch
        {
            MemberAccessExpressionSyntax m => m.Name,
            SimpleNameSyntax n => n,
            _ => null,
        };
        if (name is not null && pairs.TryGetValue(name.Identifier.Text, out var to))
        {
            sites.Replace(op, name.Identifier, to, call);
        }
    }

    private static Dictionary<string, string> Pairs(params (string A, string B)[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (a, b) in pairs)
        {
            map[a] = b;
            map[b] = a;
        }
        return map;
    }
}
