using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BugHunt.Core.Mutants;

/// <summary>
/// Machine mutants of a challenge's reference: each is the reference with one small change of a kind
/// real deep-learning code gets wrong (an axis, a detach, a constant for a shape, a dropped statement,
/// an off-by-one bound…). A challenge's probes should tell every one that is not equivalent from the
/// reference. Pure and deterministic: syntax only, nothing is compiled or run; a few mutants may not
/// compile, and the validator reports those as stillborn.
/// </summary>
public static class Mutator
{
    /// <summary>Part of <see cref="MutantSet.Hash"/>: bump it whenever the operators change what they generate.</summary>
    public const string Version = "bughunt-mutants/1";

    /// <summary>Keeps a validation run of one challenge to minutes.</summary>
    public const int DefaultCap = 150;

    private const int IdHashLength = 6;

    // Catalogue order is also precedence: when two operators make the same file, the earlier one keeps it.
    private static readonly (MutationOperator Operator, Action<SyntaxNode, FileSites, string> Find)[] Catalogue =
    [
        (new("axis-swap", "tensors and inputs", "an axis literal of a tensor op changes: -1↔1, 0↔1, -2↔-1, 1↔2"), TensorOperators.AxisSwap),
        (new("keepdim-flip", "tensors and inputs", "keepdim: true↔false"), TensorOperators.KeepdimFlip),
        (new("tril-triu", "model", "tril↔triu: the mask keeps the other triangle"), CallOperators.TrilTriuSwap),
        (new("min-max", "API", "min↔max, argmin↔argmax, amin↔amax, Math.Min↔Math.Max"), CallOperators.MinMaxSwap),
        (new("sum-mean", "API", "sum↔mean, also a loss's Reduction.Sum↔Reduction.Mean"), CallOperators.SumMeanSwap),
        (new("sqrt-removed", "model", "a square root is dropped (Math.Sqrt(d) → d, x.sqrt() → x): a missing scale factor"), ArithmeticOperators.SqrtRemoved),
        (new("shape-constant", "tensors and inputs", "a size read from a shape (x.shape[i], x.size(i), .Length, .Count) becomes the constant 2 or 4"), TensorOperators.ShapeConstant),
        (new("off-by-one", "tensors and inputs", "a loop, slice, narrow, arange, select, diagonal or index bound, or an n ± k, moves by one"), ArithmeticOperators.OffByOne),
        (new("comparison-flip", "tensors and inputs", "< ↔ <=, > ↔ >=, == ↔ !=, and .lt↔.le, .gt↔.ge, .eq↔.ne"), ArithmeticOperators.ComparisonFlip),
        (new("argument-swap", "API", "two operands of one kind change places: loss(prediction, target), matmul, sub, div, where, the reference's own methods"), TensorOperators.ArgumentSwap),
        (new("statement-removed", "training", "a call or assignment statement is deleted: zero_grad, backward, step, eval, a residual add…"), CallOperators.StatementRemoved),
        (new("detach", "training", "a tensor that carries a gradient is detached (x → x.detach()): values stay right, the gradient does not"), TensorOperators.Detach),
        (new("clamp-inserted", "model", "a tensor fed to exp/log/softmax, or returned, is clamped to [-10, 10] or passed through nan_to_num"), TensorOperators.ClampInserted),
        (new("sign-flip", "model", "a unary minus is removed or added, + ↔ -, 1 - p → p"), ArithmeticOperators.SignFlip),
        (new("constant-perturbed", "training", "a floating-point constant (learning rate, epsilon, scale) is multiplied by 100 when at most 1e-3, else by 2"), ArithmeticOperators.ConstantPerturbed),
    ];

    public static IReadOnlyList<MutationOperator> Operators { get; } = [.. Catalogue.Select(c => c.Operator)];

    /// <summary>
    /// The mutants of the editable <c>.cs</c> files among <paramref name="referenceFiles"/>; other files are
    /// never changed but are part of every mutant's <see cref="Mutant.Files"/>. Mutants that make the same
    /// files as another are dropped, and so are those past <paramref name="cap"/>: then operators take
    /// turns in catalogue order, each contributing its next mutant until the cap is reached, so every
    /// operator that found something is represented. Within an operator, mutants are taken in the order
    /// of their id's hash, which spreads them over the files and does not depend on line numbers, so an
    /// unrelated edit rarely changes which mutants are kept. The result is ordered by file and line.
    /// </summary>
    public static MutantSet Generate(IReadOnlyDictionary<string, string> referenceFiles, IReadOnlyCollection<string> editableFiles, int cap = DefaultCap)
    {
        ArgumentNullException.ThrowIfNull(referenceFiles);
        ArgumentNullException.ThrowIfNull(editableFiles);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);

        var trees = referenceFiles
            .Where(f => f.Key.EndsWith(".cs", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (Name: f.Key, Tree: CSharpSyntaxTree.ParseText(f.Value, path: f.Key)))
            .ToList();
        var tensors = new TensorGuess(trees.Select(t => t.Tree.GetRoot()));
        var editable = editableFiles.ToHashSet(StringComparer.Ordinal);
        var sites = new List<MutationSite>();
        foreach (var (name, tree) in trees.Where(t => editable.Contains(t.Name)))
        {
            var file = new FileSites(name, tree, tensors);
            foreach (var node in tree.GetRoot().DescendantNodes().Where(FileSites.IsMutable))
            {
                foreach (var (op, find) in Catalogue)
                {
                    find(node, file, op.Name);
                }
            }
            sites.AddRange(file.Sites);
        }

        var candidates = Distinct(Identify(sites), referenceFiles);
        var kept = Select(candidates, cap);
        var mutants = kept
            .OrderBy(c => c.Site.File, StringComparer.Ordinal)
            .ThenBy(c => c.Site.Span.Start)
            .ThenBy(c => OperatorIndex(c.Site.Operator))
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new Mutant(c.Id, c.Site.Operator, c.Site.File, c.Site.Line, c.Site.Description, With(referenceFiles, c.Site.File, c.Text)))
            .ToList();
        var byOperator = candidates.GroupBy(c => c.Site.Operator, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new MutantSet(SetHash(referenceFiles, editableFiles, cap), mutants, candidates.Count, byOperator);
    }

    /// <summary>SHA-256 (hex) of everything <see cref="Generate"/> depends on: <see cref="Version"/>, the cap,
    /// the editable names and every reference file's name and content.</summary>
    public static string SetHash(IReadOnlyDictionary<string, string> referenceFiles, IReadOnlyCollection<string> editableFiles, int cap = DefaultCap)
    {
        ArgumentNullException.ThrowIfNull(referenceFiles);
        ArgumentNullException.ThrowIfNull(editableFiles);
        var text = new StringBuilder().Append(Version).Append('\0').Append(cap).Append('\0');
        foreach (var name in editableFiles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            text.Append(name).Append('\0');
        }
        foreach (var (name, content) in referenceFiles.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            // Lengths first, so no two different file sets concatenate to the same text.
            text.Append(name.Length).Append(':').Append(name).Append(content.Length).Append(':').Append(content);
        }
        return Hex(text.ToString());
    }

    private sealed record Candidate(MutationSite Site, string Id, string Text);

    /// <summary>Ids: operator, file, member, and a hash of the site's key plus its rank among sites with the same key.</summary>
    private static List<(MutationSite Site, string Id)> Identify(List<MutationSite> sites)
    {
        var identified = new List<(MutationSite, string)>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in sites.GroupBy(s => (s.File, s.Key)))
        {
            var rank = 0;
            foreach (var site in group.OrderBy(s => s.Span.Start).ThenBy(s => s.Span.Length))
            {
                var id = $"{site.Operator}:{site.File}:{(site.Member.Length > 0 ? site.Member : "-")}:{Hex($"{site.File}\n{site.Key}\n{rank++}")[..IdHashLength]}";
                // A 24-bit hash may collide within a challenge; the later site (by file order) gets a suffix.
                var unique = id;
                for (var n = 2; !taken.Add(unique); n++)
                {
                    unique = $"{id}-{n}";
                }
                identified.Add((site, unique));
            }
        }
        return identified;
    }

    /// <summary>Drops mutants equal to the reference or to an earlier mutant (catalogue order, then position).</summary>
    private static List<Candidate> Distinct(List<(MutationSite Site, string Id)> sites, IReadOnlyDictionary<string, string> reference)
    {
        var seen = new HashSet<(string, string)>();
        var distinct = new List<Candidate>();
        foreach (var (site, id) in sites.OrderBy(s => OperatorIndex(s.Site.Operator)).ThenBy(s => s.Site.File, StringComparer.Ordinal).ThenBy(s => s.Site.Span.Start).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            var original = reference[site.File];
            var text = string.Concat(original.AsSpan(0, site.Span.Start), site.Replacement, original.AsSpan(site.Span.End));
            if (text != original && seen.Add((site.File, text)))
            {
                distinct.Add(new Candidate(site, id, text));
            }
        }
        return distinct;
    }

    private static List<Candidate> Select(List<Candidate> candidates, int cap)
    {
        if (candidates.Count <= cap)
        {
            return candidates;
        }
        var queues = candidates
            .GroupBy(c => c.Site.Operator, StringComparer.Ordinal)
            .OrderBy(g => OperatorIndex(g.Key))
            .Select(g => new Queue<Candidate>(g.OrderBy(c => c.Id[(c.Id.LastIndexOf(':') + 1)..], StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal)))
            .ToList();
        var kept = new List<Candidate>(cap);
        while (kept.Count < cap)
        {
            foreach (var queue in queues.Where(q => q.Count > 0))
            {
                if (kept.Count < cap)
                {
                    kept.Add(queue.Dequeue());
                }
            }
        }
        return kept;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> reference, string file, string text)
    {
        var files = new Dictionary<string, string>(reference, StringComparer.Ordinal)
        {
            [file] = text,
        };
        return files;
    }

    private static int OperatorIndex(string name) => Array.FindIndex(Catalogue, c => c.Operator.Name == name);

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
