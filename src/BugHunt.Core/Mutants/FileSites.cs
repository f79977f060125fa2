using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace BugHunt.Core.Mutants;

/// <summary>
/// One place where one operator changes one span of a file. <see cref="Key"/> locates it without
/// offsets (member, surrounding statement, texts); the mutant id is a hash of it.
/// </summary>
internal sealed record MutationSite(string Operator, string File, TextSpan Span, string Replacement, int Line, string Member, string Key, string Description);

/// <summary>The mutation sites of one editable file, and the rules on where a mutation may go.</summary>
internal sealed class FileSites(string file, SyntaxTree tree, TensorGuess tensors)
{
    private const int ShownLength = 70;

    public string File { get; } = file;

    public SourceText Text { get; } = tree.GetText();

    public TensorGuess Tensors { get; } = tensors;

    public List<MutationSite> Sites { get; } = [];

    public void Replace(string op, SyntaxNode node, string replacement, SyntaxNode? shown = null) =>
        Replace(op, node.Span, node, replacement, shown);

    public void Replace(string op, SyntaxToken token, string replacement, SyntaxNode? shown = null) =>
        Replace(op, token.Span, token.Parent!, replacement, shown ?? token.Parent);

    /// <summary>Records that <paramref name="op"/> turns <paramref name="span"/> into <paramref name="replacement"/>;
    /// <paramref name="shown"/> is the larger node quoted in the description (the edit alone by default).</summary>
    public void Replace(string op, TextSpan span, SyntaxNode at, string replacement, SyntaxNode? shown = null)
    {
        var original = Text.ToString(span);
        if (original == replacement)
        {
            return;
        }
        var line = Text.Lines.GetLinePosition(span.Start).Line + 1;
        var (member, memberKey) = MemberOf(at);
        var key = string.Join('\n', op, memberKey, Anchor(at), OneLine(original), OneLine(replacement));
        Sites.Add(new MutationSite(op, File, span, replacement, line, member, key, Describe(line, span, replacement, shown)));
    }

    /// <summary>Whether a mutation may touch <paramref name="node"/>. Only code inside members (and record
    /// parameter defaults) is mutated. Argument validation (<c>if (…) throw</c>, <c>ThrowIfNull</c>) and
    /// exception messages are left alone: the probes judge results, and a mutant there only changes
    /// which invalid input is refused.</summary>
    public static bool IsMutable(SyntaxNode node)
    {
        var inMember = false;
        SyntaxNode? child = null;
        foreach (var a in node.AncestorsAndSelf())
        {
            switch (a)
            {
                case ThrowStatementSyntax or ThrowExpressionSyntax or InterpolatedStringExpressionSyntax or AttributeListSyntax:
                    return false;
                case InvocationExpressionSyntax call when InvokedName(call) is "nameof" or "ThrowIfNull" or "ThrowIfNullOrEmpty"
                    or "ThrowIfNegative" or "ThrowIfZero" or "ThrowIfNegativeOrZero" or "Assert":
                    return false;
                case IfStatementSyntax guard when child == guard.Condition && IsThrow(guard.Statement):
                    return false;
                case BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or FieldDeclarationSyntax:
                    inMember = true;
                    break;
                case ParameterSyntax { Parent.Parent: TypeDeclarationSyntax }:
                    inMember = true;
                    break;
            }
            child = a;
        }
        return inMember;
    }

    /// <summary>Whether the member around <paramref name="node"/> works with TorchSharp at all.</summary>
    public static bool UsesTorch(SyntaxNode node)
    {
        var member = node.AncestorsAndSelf().FirstOrDefault(a => a is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax);
        return member is not null && member.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.Text is "torch" or "Tensor" or "nn");
    }

    /// <summary>Inside <c>using (torch.no_grad())</c> or after <c>using var _ = torch.no_grad();</c>, where no gradient flows anyway.</summary>
    public static bool UnderNoGrad(SyntaxNode node)
    {
        SyntaxNode? child = null;
        foreach (var a in node.AncestorsAndSelf())
        {
            switch (a)
            {
                case UsingStatementSyntax u when child == u.Statement && u.ToString().Contains("no_grad", StringComparison.Ordinal):
                    return true;
                case BlockSyntax block when child is StatementSyntax s:
                    if (block.Statements.TakeWhile(x => x != s).Any(x =>
                        x is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } d
                        && d.ToString().Contains("no_grad", StringComparison.Ordinal)))
                    {
                        return true;
                    }
                    break;
            }
            child = a;
        }
        return false;
    }

    /// <summary>The name a call invokes: <c>b</c> for <c>a.b(…)</c>, <c>a.b&lt;T&gt;(…)</c> and <c>b(…)</c>.</summary>
    public static string InvokedName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
        SimpleNameSyntax n => n.Identifier.Text,
        _ => "",
    };

    /// <summary>Calls on <c>torch</c> / <c>nn.functional</c> take the input tensor first, so their axis and bound
    /// arguments sit one position later than on the tensor method.</summary>
    public static bool IsStaticTorchCall(InvocationExpressionSyntax call) =>
        call.Expression is MemberAccessExpressionSyntax m && TensorGuess.IsTorchNamespace(m.Expression);

    public static IReadOnlyList<ArgumentSyntax> Positional(InvocationExpressionSyntax call) =>
        [.. call.ArgumentList.Arguments.TakeWhile(a => a.NameColon is null)];

    /// <summary><paramref name="e"/> as text that can take a member access or an operator without changing meaning.</summary>
    public static string Wrap(ExpressionSyntax e) => e is IdentifierNameSyntax or GenericNameSyntax or InvocationExpressionSyntax
        or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax
        or ThisExpressionSyntax or ObjectCreationExpressionSyntax
        ? e.ToString()
        : $"({e})";

    /// <summary>Integer literal value, also negated (<c>-1</c>), or null.</summary>
    public static long? IntegerValue(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax { Token.Value: int i } => i,
        LiteralExpressionSyntax { Token.Value: long l } => l,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax l } when IntegerValue(l) is { } v => -v,
        _ => null,
    };

    public static string OneLine(string text) => string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static bool IsThrow(StatementSyntax s) => s is ThrowStatementSyntax or BlockSyntax { Statements: [ThrowStatementSyntax] };

    private string Describe(int line, TextSpan span, string replacement, SyntaxNode? shown)
    {
        // An argument is quoted with its call's name: `transpose(1, 2)` says more than `1`.
        var around = shown is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } && CallName(call) is { } name
            ? TextSpan.FromBounds(name.SpanStart, call.Span.End)
            : shown is not null && shown.Span.Contains(span) ? shown.Span : span;
        var before = OneLine(Text.ToString(around));
        var after = OneLine(string.Concat(Text.ToString(TextSpan.FromBounds(around.Start, span.Start)), replacement, Text.ToString(TextSpan.FromBounds(span.End, around.End))));
        if (after.Length == 0 || (after == "{ }" && shown is StatementSyntax))
        {
            return $"line {line}: removed `{Window(before, 0)}`";
        }
        var common = 0;
        while (common < before.Length && common < after.Length && before[common] == after[common])
        {
            common++;
        }
        return $"line {line}: `{Window(before, common)}` → `{Window(after, common)}`";
    }

    /// <summary>At most <see cref="ShownLength"/> characters of <paramref name="text"/>, keeping <paramref name="change"/> in view.</summary>
    private static string Window(string text, int change)
    {
        if (text.Length <= ShownLength)
        {
            return text;
        }
        var start = Math.Clamp(change - (ShownLength / 3), 0, text.Length - ShownLength);
        return string.Concat(start > 0 ? "…" : "", text.AsSpan(start, ShownLength), start + ShownLength < text.Length ? "…" : "");
    }

    private static SimpleNameSyntax? CallName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax m => m.Name,
        SimpleNameSyntax n => n,
        _ => null,
    };

    /// <summary>The member holding <paramref name="node"/> as shown in ids ("Type.Member") and as hashed
    /// (with parameter types, so overloads differ).</summary>
    private static (string Shown, string Key) MemberOf(SyntaxNode node)
    {
        var types = node.Ancestors().OfType<BaseTypeDeclarationSyntax>().Reverse().Select(t => t.Identifier.Text);
        var member = node.AncestorsAndSelf().FirstOrDefault(a => a is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax);
        var (name, parameters) = member switch
        {
            MethodDeclarationSyntax m => (m.Identifier.Text, m.ParameterList.Parameters),
            ConstructorDeclarationSyntax c => ("ctor", c.ParameterList.Parameters),
            PropertyDeclarationSyntax p => (p.Identifier.Text, default(SeparatedSyntaxList<ParameterSyntax>)),
            IndexerDeclarationSyntax i => ("this", i.ParameterList.Parameters),
            FieldDeclarationSyntax f => (string.Join('+', f.Declaration.Variables.Select(v => v.Identifier.Text)), default),
            BaseMethodDeclarationSyntax b => (b.Kind().ToString(), b.ParameterList.Parameters),
            _ => ("", default),
        };
        var shown = string.Join('.', types.Append(name).Where(n => n.Length > 0));
        return (shown, $"{shown}({string.Join(',', parameters.Select(p => p.Type?.ToString()))})");
    }

    /// <summary>The statement (or declaration) around <paramref name="node"/>, without the statements nested in it,
    /// so that editing a loop body does not move the ids of mutants in the loop's header.</summary>
    private static string Anchor(SyntaxNode node)
    {
        var anchor = node.AncestorsAndSelf().FirstOrDefault(a => a is (StatementSyntax and not BlockSyntax) or ParameterSyntax or MemberDeclarationSyntax) ?? node;
        return string.Join(' ', anchor.DescendantTokens(n => n == anchor || n is not StatementSyntax).Select(t => t.Text));
    }
}
