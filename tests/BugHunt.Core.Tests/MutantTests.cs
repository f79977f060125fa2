using BugHunt.Core.Mutants;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BugHunt.Core.Tests;

public class MutantTests
{
    private const int NoCap = int.MaxValue;

    private static readonly Lazy<IReadOnlyList<Challenge>> LabScreen = new(() => PackLoader.Load(TestPacks.LabScreen).Challenges);

    private static Challenge Lab(string id) => LabScreen.Value.Single(c => c.Id == id);

    private static MutantSet Mutants(Challenge c, int cap = Mutator.DefaultCap) => Mutator.Generate(c.ReferenceFiles, c.Editable.ToList(), cap);

    private static MutantSet Snippet(string members)
    {
        var file = $$"""
            using System;
            using TorchSharp;
            using static TorchSharp.torch;

            public static class Snippet
            {
            {{members}}
            }
            """;
        return Mutator.Generate(new Dictionary<string, string> { ["Snippet.cs"] = file }, ["Snippet.cs"], NoCap);
    }

    private static bool Makes(MutantSet set, string op, string text) =>
        set.Any(m => m.Operator == op && m.Files["Snippet.cs"].Contains(text, StringComparison.Ordinal));

    /// <summary>The reference's text in the one region the mutant changed, and the mutant's text there.</summary>
    private static (int Start, string Before, string After) ChangedRegion(string reference, string mutant)
    {
        var start = 0;
        while (start < reference.Length && start < mutant.Length && reference[start] == mutant[start])
        {
            start++;
        }
        int endA = reference.Length, endB = mutant.Length;
        while (endA > start && endB > start && reference[endA - 1] == mutant[endB - 1])
        {
            endA--;
            endB--;
        }
        return (start, reference[start..endA], mutant[start..endB]);
    }

    [Fact]
    public void Every_operator_makes_mutants_of_the_lab_screen_references()
    {
        var made = LabScreen.Value.SelectMany(c => Mutants(c)).Select(m => m.Operator).ToHashSet();
        Assert.Equal(15, Mutator.Operators.Count);
        Assert.All(Mutator.Operators, op => Assert.Contains(op.Name, made));
        Assert.All(made, name => Assert.Contains(Mutator.Operators, op => op.Name == name));
    }

    [Fact]
    public void Operators_have_unique_names_a_taxonomy_class_and_a_description()
    {
        Assert.Equal(Mutator.Operators.Count, Mutator.Operators.Select(o => o.Name).Distinct().Count());
        Assert.All(Mutator.Operators, o =>
        {
            Assert.Contains(o.Category, (string[])["model", "tensors and inputs", "training", "API"]);
            Assert.False(string.IsNullOrWhiteSpace(o.Description));
        });
    }

    [Fact]
    public void Each_mutant_changes_one_small_region_of_one_editable_file_at_its_line()
    {
        foreach (var challenge in LabScreen.Value)
        {
            foreach (var m in Mutants(challenge, NoCap))
            {
                Assert.Contains(m.File, challenge.Editable);
                Assert.Equal(challenge.ReferenceFiles.Keys.Order(), m.Files.Keys.Order());
                var changed = m.Files.Where(f => f.Value != challenge.ReferenceFiles[f.Key]).Select(f => f.Key);
                Assert.Equal([m.File], changed);

                var reference = challenge.ReferenceFiles[m.File];
                var (start, before, after) = ChangedRegion(reference, m.Files[m.File]);
                var line = reference[..start].Count(c => c == '\n') + 1;
                Assert.InRange(line, m.Line - 1, m.Line + 1);
                Assert.True(before.Length + after.Length <= 240, $"{m.Id} rewrites {before.Length} characters into {after.Length}");
                Assert.True(before.Count(c => c == '\n') <= 1, $"{m.Id} spans several lines");
                Assert.StartsWith($"line {m.Line}: ", m.Description, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', m.Description);
            }
        }
    }

    [Fact]
    public void No_mutant_equals_the_reference_or_another_mutant()
    {
        foreach (var challenge in LabScreen.Value)
        {
            var set = Mutants(challenge, NoCap);
            var texts = set.Select(m => m.File + "\0" + m.Files[m.File]).ToList();
            Assert.Equal(texts.Count, texts.Distinct().Count());
            Assert.All(set, m => Assert.NotEqual(challenge.ReferenceFiles[m.File], m.Files[m.File]));
        }
    }

    [Fact]
    public void Every_mutant_parses_without_syntax_errors()
    {
        foreach (var challenge in LabScreen.Value)
        {
            foreach (var m in Mutants(challenge, NoCap))
            {
                var errors = CSharpSyntaxTree.ParseText(m.Files[m.File]).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
                Assert.True(!errors.Any(), $"{m.Id} ({m.Description}): {errors.FirstOrDefault()}");
            }
        }
    }

    [Fact]
    public void Ids_are_unique_and_the_same_on_every_run()
    {
        foreach (var challenge in LabScreen.Value)
        {
            var first = Mutants(challenge, NoCap).Select(m => m.Id).ToList();
            var again = Mutants(challenge, NoCap).Select(m => m.Id).ToList();
            Assert.Equal(first, again);
            Assert.Equal(first.Count, first.Distinct().Count());
            Assert.All(first, id => Assert.Matches("^[a-z-]+:[A-Za-z]+\\.cs:[A-Za-z_.]+:[0-9a-f]{6}$", id));
        }
    }

    [Fact]
    public void Lines_added_above_move_mutants_but_keep_their_ids()
    {
        var challenge = Lab("tiny-gpt");
        var moved = new Dictionary<string, string>(challenge.ReferenceFiles)
        {
            ["Model.cs"] = "// Model of the tiny-gpt level.\n\n" + challenge.ReferenceFiles["Model.cs"],
        };
        var before = Mutants(challenge, NoCap).ToDictionary(m => m.Id);
        var after = Mutator.Generate(moved, challenge.Editable.ToList(), NoCap);

        Assert.Equal(before.Keys.Order(), after.Select(m => m.Id).Order());
        Assert.All(after, m => Assert.Equal(before[m.Id].Line + (m.File == "Model.cs" ? 2 : 0), m.Line));
    }

    [Fact]
    public void Editing_one_statement_keeps_the_ids_of_mutants_elsewhere()
    {
        var challenge = Lab("causal-attention");
        var reference = challenge.ReferenceFiles["Attention.cs"];
        const string Original = "var allowed = torch.tril(torch.ones(T, T, device: x.device));";
        Assert.Contains(Original, reference, StringComparison.Ordinal);
        var edited = new Dictionary<string, string>
        {
            ["Attention.cs"] = reference.Replace(Original, "var allowed = torch.tril(torch.ones(T, T, device: x.device), diagonal: 0);", StringComparison.Ordinal),
        };
        var editedLine = reference[..reference.IndexOf(Original, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var before = Mutants(challenge, NoCap);
        var after = Mutator.Generate(edited, ["Attention.cs"], NoCap).Select(m => m.Id).ToHashSet();
        var elsewhere = before.Where(m => m.Line != editedLine).ToList();

        Assert.True(elsewhere.Count >= 50, $"only {elsewhere.Count} mutants away from the edit");
        Assert.All(elsewhere, m => Assert.Contains(m.Id, after));
    }

    [Fact]
    public void Files_that_are_not_editable_are_never_changed()
    {
        var challenge = Lab("tiny-gpt");
        var set = Mutator.Generate(challenge.ReferenceFiles, ["Model.cs"], NoCap);

        Assert.NotEmpty(set);
        Assert.All(set, m =>
        {
            Assert.Equal("Model.cs", m.File);
            Assert.All(m.Files.Where(f => f.Key != "Model.cs"), f => Assert.Equal(challenge.ReferenceFiles[f.Key], f.Value));
        });
        Assert.Empty(Mutator.Generate(challenge.ReferenceFiles, [], NoCap));
    }

    [Fact]
    public void The_cap_keeps_every_operator_and_reports_what_it_dropped()
    {
        var challenge = Lab("tiny-gpt");
        var all = Mutants(challenge, NoCap);
        var capped = Mutants(challenge, 20);

        Assert.Equal(20, capped.Count);
        Assert.Equal(all.Count, capped.Candidates);
        Assert.Equal(all.Count - 20, capped.Dropped);
        Assert.Equal(all.Count, capped.CandidatesByOperator.Values.Sum());
        Assert.Equal(capped.CandidatesByOperator.Keys.Order(), capped.Select(m => m.Operator).Distinct().Order());
        Assert.Equal(capped.Select(m => m.Id), Mutants(challenge, 20).Select(m => m.Id));
        Assert.Subset(all.Select(m => m.Id).ToHashSet(), capped.Select(m => m.Id).ToHashSet());
        Assert.True(Mutants(challenge).Count <= Mutator.DefaultCap);
    }

    [Fact]
    public void The_set_hash_changes_with_the_reference_the_editable_files_and_the_cap()
    {
        var challenge = Lab("numerics-warmup");
        var editable = challenge.Editable.ToList();
        var hash = Mutants(challenge).Hash;
        var changed = new Dictionary<string, string>(challenge.ReferenceFiles) { ["Numerics.cs"] = challenge.ReferenceFiles["Numerics.cs"] + "\n" };

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, Mutator.SetHash(challenge.ReferenceFiles, editable));
        Assert.NotEqual(hash, Mutator.SetHash(changed, editable));
        Assert.NotEqual(hash, Mutator.SetHash(challenge.ReferenceFiles, []));
        Assert.NotEqual(hash, Mutator.SetHash(challenge.ReferenceFiles, editable, 10));
    }

    [Fact]
    public void An_axis_literal_is_swapped()
    {
        var set = Snippet("public static Tensor F(Tensor x) => x.softmax(-1) + x.sum(dim: 0);");
        Assert.True(Makes(set, "axis-swap", "x.softmax(1)"));
        Assert.True(Makes(set, "axis-swap", "x.softmax(-2)"));
        Assert.True(Makes(set, "axis-swap", "x.sum(dim: 1)"));
        Assert.Contains(set, m => m.Description == "line 7: `softmax(-1)` → `softmax(1)`");
    }

    [Fact]
    public void A_call_statement_is_removed()
    {
        var set = Snippet("""
                public static void Step(optim.Optimizer optimizer, Tensor loss)
                {
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
            """);
        var removed = set.Where(m => m.Operator == "statement-removed").ToList();
        Assert.Equal(3, removed.Count);
        var zeroGrad = Assert.Single(removed, m => !m.Files["Snippet.cs"].Contains("zero_grad", StringComparison.Ordinal));
        Assert.Equal("line 9: removed `optimizer.zero_grad();`", zeroGrad.Description);
        Assert.Contains("loss.backward();", zeroGrad.Files["Snippet.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Tril_becomes_triu_and_min_max_sum_mean_swap()
    {
        var set = Snippet("""
                public static Tensor Mask(Tensor m) => torch.tril(m);
                public static double Cap(double a) => Math.Min(a, 1.0);
                public static Tensor Loss(Tensor x) => x.mean() + x.max(1, keepdim: true).values;
            """);
        Assert.True(Makes(set, "tril-triu", "torch.triu(m)"));
        Assert.True(Makes(set, "min-max", "Math.Max(a, 1.0)"));
        Assert.True(Makes(set, "min-max", "x.min(1, keepdim: true)"));
        Assert.True(Makes(set, "sum-mean", "x.sum() +"));
        Assert.True(Makes(set, "keepdim-flip", "keepdim: false"));
    }

    [Fact]
    public void A_square_root_is_dropped()
    {
        var set = Snippet("public static Tensor Scale(Tensor s, int d) => s / Math.Sqrt(d) + s.sqrt();");
        Assert.True(Makes(set, "sqrt-removed", "s / d + s.sqrt()"));
        Assert.True(Makes(set, "sqrt-removed", "s / Math.Sqrt(d) + s;"));
    }

    [Fact]
    public void Detach_goes_on_tensors_only()
    {
        var set = Snippet("""
                public static Tensor F(Tensor x)
                {
                    int n = 3;
                    var y = x.exp();
                    var mask = torch.ones(n, n);
                    return y * n + mask;
                }
            """);
        var detached = set.Where(m => m.Operator == "detach").Select(m => m.Files["Snippet.cs"]).ToList();
        Assert.Contains(detached, f => f.Contains("var y = x.exp().detach();", StringComparison.Ordinal));
        Assert.Contains(detached, f => f.Contains("return (y * n + mask).detach();", StringComparison.Ordinal));
        Assert.DoesNotContain(detached, f => f.Contains("3.detach()", StringComparison.Ordinal) || f.Contains("n.detach()", StringComparison.Ordinal));
        Assert.DoesNotContain(detached, f => f.Contains("torch.ones(n, n).detach()", StringComparison.Ordinal));
    }

    [Fact]
    public void No_detach_where_no_gradient_flows()
    {
        var set = Snippet("""
                public static Tensor F(Tensor x)
                {
                    using var noGrad = torch.no_grad();
                    return x.exp();
                }
            """);
        Assert.DoesNotContain(set, m => m.Operator == "detach");
    }

    [Fact]
    public void A_shape_becomes_a_constant()
    {
        var set = Snippet("public static Tensor F(Tensor x) => x.view(x.shape[0], x.size(1), -1);");
        Assert.True(Makes(set, "shape-constant", "x.view(2, x.size(1), -1)"));
        Assert.True(Makes(set, "shape-constant", "x.view(4, x.size(1), -1)"));
        Assert.True(Makes(set, "shape-constant", "x.view(x.shape[0], 2, -1)"));
    }

    [Fact]
    public void A_clamp_or_nan_to_num_is_inserted_before_exp()
    {
        var set = Snippet("public static Tensor F(Tensor x) => x.exp();");
        Assert.True(Makes(set, "clamp-inserted", "x.clamp(-10, 10).exp()"));
        Assert.True(Makes(set, "clamp-inserted", "torch.nan_to_num(x).exp()"));
    }

    [Fact]
    public void Bounds_move_by_one()
    {
        var set = Snippet("""
                public static Tensor F(Tensor x, int n)
                {
                    for (var i = 0; i < n; i++)
                    {
                        x = x + 1;
                    }
                    return x.narrow(1, 0, n) + x[TensorIndex.Slice(1, n)];
                }
            """);
        Assert.True(Makes(set, "off-by-one", "var i = 1;"));
        Assert.True(Makes(set, "off-by-one", "i <= n;"));
        Assert.True(Makes(set, "off-by-one", "i < n - 1;"));
        Assert.True(Makes(set, "off-by-one", "x.narrow(1, 0, n + 1)"));
        Assert.True(Makes(set, "off-by-one", "TensorIndex.Slice(2, n)"));
        Assert.False(Makes(set, "off-by-one", "x.narrow(2, 0, n)"));
    }

    [Fact]
    public void Comparisons_flip()
    {
        var set = Snippet("public static Tensor F(Tensor x, double a, double b) => a < b ? x.lt(0) : x.eq(1);");
        Assert.True(Makes(set, "comparison-flip", "a <= b ?"));
        Assert.True(Makes(set, "comparison-flip", "x.le(0)"));
        Assert.True(Makes(set, "comparison-flip", "x.ne(1)"));
    }

    [Fact]
    public void Arguments_of_a_loss_swap()
    {
        var set = Snippet("public static Tensor F(Tensor prediction, Tensor target) => nn.functional.mse_loss(prediction, target);");
        Assert.True(Makes(set, "argument-swap", "nn.functional.mse_loss(target, prediction)"));
    }

    [Fact]
    public void Signs_flip()
    {
        var set = Snippet("public static Tensor F(Tensor p, Tensor q) => (1 - p) * -q + p;");
        Assert.True(Makes(set, "sign-flip", "(p) * -q + p"));
        Assert.True(Makes(set, "sign-flip", "(1 - p) * q + p"));
        Assert.True(Makes(set, "sign-flip", "(1 - p) * -q - p"));
    }

    [Fact]
    public void Hyper_parameters_are_perturbed()
    {
        var set = Snippet("public static Tensor F(Tensor x) => x * 0.5 + 1e-5;");
        Assert.True(Makes(set, "constant-perturbed", "x * 1.0 + 1e-5"));
        Assert.True(Makes(set, "constant-perturbed", "x * 0.5 + 1e-3"));
    }

    [Fact]
    public void Argument_validation_and_messages_are_left_alone()
    {
        var set = Snippet("""
                public static Tensor F(Tensor x, int n)
                {
                    ArgumentNullException.ThrowIfNull(x);
                    if (n <= 0 || x.shape[0] != n)
                        throw new ArgumentException($"need {n - 1} rows, got {x.shape[0]}");
                    return x;
                }
            """);
        Assert.All(set, m => Assert.Equal(12, m.Line));
    }
}
