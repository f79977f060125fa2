using System.Text;
using System.Text.RegularExpressions;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Packs;

// rules: in challenge.yaml: what submissions may not use, and the statement section that lists it.
public static partial class PackLoader
{
    private const string RulesHeading = "## Rules";

    // A fully qualified C# name as Roslyn displays it, without generic arguments: TorchSharp.torch.nn.functional.softmax.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex NamespaceName();

    /// <summary>
    /// rules: a list of entries, each either <c>{ forbid: symbol or [symbols], reason: text }</c> or
    /// <c>{ namespaces: [..] }</c> (at most one). The sandbox refuses a submission that uses a
    /// forbidden symbol or anything below it and quotes the reason.
    /// </summary>
    private static SubmissionRules ReadRules(YamlFields yaml)
    {
        var entries = yaml.MappingList("rules", required: false);
        if (entries.Count == 0)
        {
            return yaml.Has("rules") ? throw yaml.Error("rules", "expected at least one entry, or no rules: field") : SubmissionRules.None;
        }
        IReadOnlyList<string>? namespaces = null;
        var forbidden = new List<ForbiddenSymbol>();
        foreach (var r in entries)
        {
            r.AllowOnly("forbid", "reason", "namespaces");
            if (r.Has("namespaces"))
            {
                if (r.Has("forbid") || r.Has("reason"))
                {
                    throw r.Error("namespaces", "stands in an entry of its own; put forbid and reason in another entry");
                }
                if (namespaces is not null)
                {
                    throw r.Error("namespaces", "is given twice; list every namespace in one entry");
                }
                namespaces = r.StringList("namespaces", required: true);
                if (namespaces.Count == 0)
                {
                    throw r.Error("namespaces", "expected at least one namespace, e.g. [TinyGpt]");
                }
                foreach (var ns in namespaces)
                {
                    if (!NamespaceName().IsMatch(ns))
                    {
                        throw r.Error("namespaces", $"'{ns}' is not a C# namespace name (identifiers joined by dots)");
                    }
                }
                continue;
            }
            var symbols = r.OneOrMoreStrings("forbid")
                ?? throw r.Error("forbid", "is required: a symbol or a list of symbols, e.g. TorchSharp.torch.nn.functional.softmax (or give namespaces)");
            var reason = r.RequiredString("reason").Trim();
            if (reason.Length > MaxRuleReasonLength)
            {
                throw r.Error("reason", $"expected at most {MaxRuleReasonLength} characters, got {reason.Length}");
            }
            foreach (var symbol in symbols)
            {
                if (!QualifiedName().IsMatch(symbol))
                {
                    throw r.Error("forbid", $"'{symbol}' is not a fully qualified C# name: identifiers joined by dots, with the namespace, e.g. TorchSharp.torch.Tensor.softmax");
                }
                if (forbidden.Any(f => f.Symbol == symbol))
                {
                    throw r.Error("forbid", $"'{symbol}' is forbidden twice");
                }
                forbidden.Add(new ForbiddenSymbol(symbol, reason));
            }
        }
        return new SubmissionRules(namespaces ?? [], forbidden);
    }

    /// <summary>The statement the candidate reads: the author's text and, when the challenge has rules, a section listing them.</summary>
    private static string WithRules(string statement, SubmissionRules rules)
    {
        if (rules.Forbidden.Count == 0 && rules.Namespaces.Count == 0)
        {
            return statement;
        }
        var text = new StringBuilder(statement.TrimEnd('\n'));
        text.Append("\n\n").Append(RulesHeading).Append("\n\n");
        text.Append("These rules are checked when your code is compiled. Code that breaks one does not run: the\n");
        text.Append("verdict names the rule and the line. A namespace or class stands for everything inside it.\n\n");
        foreach (var group in rules.Forbidden.GroupBy(f => f.Reason, StringComparer.Ordinal))
        {
            // The reason also ends the compiler's message ("... breaks a rule of this challenge: <reason>"), so it starts in lower case there.
            var reason = group.Key.TrimEnd('.');
            text.Append("- ").Append(char.ToUpperInvariant(reason[0])).Append(reason.AsSpan(1)).Append(". Not allowed: ")
                .AppendJoin(", ", group.Select(f => $"`{f.Symbol}`")).Append(".\n");
        }
        if (rules.Namespaces.Count > 0)
        {
            text.Append("- Your types may be declared in the global namespace and in ")
                .AppendJoin(", ", rules.Namespaces.Select(n => $"`{n}`")).Append(", nowhere else.\n");
        }
        return text.ToString();
    }
}
