using BugHunt.Core.Checks;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Core.Tests;

public sealed class PackLoaderTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bughunt-pack-").FullName;

    private static string LabScreen => TestPacks.LabScreen;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Lab_screen_pack_loads_with_its_attention_challenge()
    {
        var pack = PackLoader.Load(LabScreen);
        var attention = Assert.Single(pack.Challenges, c => c.Id == "causal-attention");
        Assert.Equal("lab-screen", pack.Id);
        Assert.Contains("Attention.cs", attention.StarterFiles.Keys);
        Assert.NotEqual(attention.StarterFiles["Attention.cs"], attention.ReferenceFiles["Attention.cs"]);
        Assert.Single(attention.PublicTests);
        Assert.True(attention.Tests.Count(t => t.Visibility == Visibility.Hidden) >= 3);
        Assert.True(attention.Bugs.Count >= 3);
        Assert.Contains(attention.Tests, t => t.Check.Kind == CheckKind.Equal);
        Assert.All(attention.Hints, h => Assert.InRange(h.CostPercent, 1, 100));
        Assert.NotEmpty(attention.Hints);
    }

    [Fact]
    public void Every_lab_screen_level_has_hidden_tests_bugs_and_hints()
    {
        var pack = PackLoader.Load(LabScreen);
        Assert.Equal(pack.Challenges.Select(c => c.Level).Order(), pack.Challenges.Select(c => c.Level));
        foreach (var challenge in pack.Challenges)
        {
            Assert.True(challenge.Bugs.Count >= 3, $"{challenge.Id} has {challenge.Bugs.Count} planted bugs");
            Assert.NotEmpty(challenge.WrongFixes);
            Assert.NotEmpty(challenge.Hints);
        }
    }

    [Fact]
    public void Unchanged_pack_has_a_stable_content_hash_and_an_edit_changes_it()
    {
        var copy = Copy();
        static string Hash(string dir) => ChallengeStore.ContentHash(PackLoader.Load(dir).Challenges.Single(c => c.Id == "causal-attention"));
        var before = Hash(copy);
        Assert.Equal(before, Hash(copy));
        File.AppendAllText(Path.Combine(copy, "causal-attention", "statement.md"), "\nOne more line.\n");
        Assert.NotEqual(before, Hash(copy));
    }

    [Theory]
    [InlineData("level: 3", "levl: 3", "challenge.yaml", "levl", "unknown field")]
    [InlineData("file: probes/forward.csx", "file: probes/missing.csx", "challenge.yaml", "probes[0].file", "does not exist")]
    [InlineData("kind: tensor, observation: out, rtol: 1.0e-6", "kind: tensr, observation: out, rtol: 1.0e-6", "challenge.yaml", "tests[0].check.kind", "expected one of tensor")]
    [InlineData("probe: forward\n", "probe: nowhere\n", "challenge.yaml", "tests[0].probe", "'nowhere' is not a probe")]
    [InlineData("visibility: public", "visibility: secret", "challenge.yaml", "tests[0].visibility", "expected public or hidden")]
    [InlineData("id: causal-attention", "id: Causal_Attention", "challenge.yaml", "id", "not a valid id")]
    [InlineData("  - id: scale\n", "  - id: scale\n    files: bugs/scale\n", "challenge.yaml", "bugs[0].files", "written once, as a diff against the reference")]
    [InlineData("time_seconds: 30", "time_seconds: lots", "challenge.yaml", "limits.time_seconds", "whole number")]
    public void Malformed_challenge_is_reported_with_file_field_and_expectation(string find, string replace, string file, string field, string problem)
    {
        var copy = Copy();
        var path = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, ReplaceFirst(text, find, replace));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith(file, error.File, StringComparison.Ordinal);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weight: 1\n", "weight: -1\n", "tests[0].weight", "of at least 0")]
    [InlineData("targets: [scale, mask-polarity, softmax-dim, head-merge]", "targets: [nobug]", "tests[0].targets", "'nobug' is not a planted bug")]
    [InlineData("  - id: forward-wide\n", "  - id: forward\n", "probes[1].id", "probe id 'forward' is used twice")]
    [InlineData("kind: threshold, observation: future_grad_max_abs, below: 1.0e-12", "kind: threshold, observation: future_grad_max_abs", "tests[3].check.below", "needs below, above or both")]
    [InlineData("kind: tensor, observation: out, rtol: 1.0e-6", "kind: tensor, rtol: 1.0e-6", "tests[0].check.observation", "is required")]
    [InlineData("editable: [Attention.cs]", "editable: [../Attention.cs]", "editable", "not a valid file name")]
    [InlineData("title: Causal multi-head self-attention", "title: [oops", "", "not valid YAML")]
    [InlineData("memory_mb: 1024", "memory_mb: 1024\n  cpus: 4", "limits.cpus", "unknown field")]
    [InlineData("visibility: hidden", "visibility: public", "tests", "at least one hidden test")]
    [InlineData("cost_percent: 10", "cost_percent: 150", "hints[0].cost_percent", "from 0 to 100")]
    [InlineData("    class: model/layer-properties\n", "", "bugs[0].class", "is required")]
    [InlineData("    class: model/layer-properties\n", "    class: model/attention\n", "bugs[0].class", "expected a fault class of the taxonomy")]
    [InlineData("    class: model/layer-properties\n", "    class: api\n    mirrors: a report\n    source: elsewhere\n", "bugs[0].source", "unknown field")]
    public void More_malformed_challenges_are_reported_precisely(string find, string replace, string field, string problem)
    {
        var copy = Copy();
        var path = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        // The last case makes every test public, so it replaces all occurrences.
        File.WriteAllText(path, field == "tests" ? text.Replace(find, replace, StringComparison.Ordinal) : ReplaceFirst(text, find, replace));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("challenge.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("challenges:\n  - causal-attention\n", "challenges:\n  - causal-attention\n  - causal-attention\n", "challenges", "listed twice")]
    [InlineData("challenges:\n  - causal-attention\n", "challenges:\n  - nowhere\n", "challenges", "does not exist")]
    [InlineData("id: lab-screen", "id: lab-screen\nowner: me", "owner", "unknown field")]
    public void Malformed_manifest_is_reported_precisely(string find, string replace, string field, string problem)
    {
        var copy = Copy();
        var path = Path.Combine(copy, "pack.yaml");
        File.WriteAllText(path, "id: lab-screen\ntitle: copy\nchallenges:\n  - causal-attention\n");
        File.WriteAllText(path, File.ReadAllText(path).Replace(find, replace, StringComparison.Ordinal));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("pack.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("equivalent_mutants:\n  - id: detach\n    reason: r\n", "equivalent_mutants[0].id", "not a mutant id")]
    [InlineData("equivalent_mutants:\n  - id: detach:A.cs:T.M:abc123\n", "equivalent_mutants[0].reason", "is required")]
    [InlineData("equivalent_mutants:\n  - id: detach:A.cs:T.M:abc123\n    reason: r\n  - id: detach:A.cs:T.M:abc123\n    reason: s\n", "equivalent_mutants[1].id", "declared twice")]
    [InlineData("equivalent_mutants:\n  - id: detach:A.cs:T.M:abc123\n    reason: r\n    why: s\n", "equivalent_mutants[0].why", "unknown field")]
    public void Malformed_equivalent_mutant_is_reported_precisely(string yaml, string field, string problem)
    {
        var copy = Copy();
        var path = WithoutEquivalentMutants(copy);
        File.AppendAllText(path, "\n" + yaml);

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Equivalent_mutants_are_read_with_their_reasons()
    {
        var copy = Copy();
        var path = WithoutEquivalentMutants(copy);
        File.AppendAllText(path, "\nequivalent_mutants:\n  - id: detach:Attention.cs:CausalSelfAttention.forward:abc123\n    reason: the mask is a constant\n");

        var challenge = PackLoader.Load(copy).Challenges.Single(c => c.Id == "causal-attention");

        Assert.Equal("the mask is a constant", challenge.EquivalentMutants["detach:Attention.cs:CausalSelfAttention.forward:abc123"]);
    }

    /// <summary>The copied attention challenge's yaml with any declared equivalent mutants removed, so a test can declare its own.</summary>
    private static string WithoutEquivalentMutants(string copy)
    {
        var path = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var kept = new List<string>();
        var inSection = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("equivalent_mutants:", StringComparison.Ordinal))
            {
                inSection = true;
                continue;
            }
            inSection &= line.Length == 0 || line.StartsWith(' ') || line.StartsWith('#');
            if (!inSection)
            {
                kept.Add(line);
            }
        }
        File.WriteAllLines(path, kept);
        return path;
    }

    [Fact]
    public void Missing_statement_names_the_file()
    {
        var copy = Copy();
        File.Delete(Path.Combine(copy, "causal-attention", "statement.md"));
        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.Contains("statement.md", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_test_ids_are_rejected()
    {
        var copy = Copy();
        var path = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("id: output-matches-reference-second-shape", "id: output-matches-reference-small", StringComparison.Ordinal));
        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.Contains("used twice", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_manifest_names_the_file()
    {
        var copy = Copy();
        File.Delete(Path.Combine(copy, "pack.yaml"));
        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("pack.yaml", error.File, StringComparison.Ordinal);
        Assert.Contains("missing", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_file_that_is_not_editable_is_rejected()
    {
        var copy = Copy();
        File.WriteAllText(Path.Combine(copy, "causal-attention", "reference", "Extra.cs"), "class Extra {}");
        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("reference/Extra.cs", error.File, StringComparison.Ordinal);
        Assert.Contains("not one of the editable files", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_become_the_challenge_rules_and_a_rules_section_of_the_statement()
    {
        var pack = PackLoader.Load(LabScreen);
        var numerics = pack.Challenges.Single(c => c.Id == "numerics-warmup");
        var softmax = Assert.Single(numerics.Rules.Forbidden, f => f.Symbol == "TorchSharp.torch.nn.functional.softmax");
        Assert.StartsWith("softmax and log-softmax are computed by hand", softmax.Reason, StringComparison.Ordinal);
        Assert.Contains(numerics.Rules.Forbidden, f => f.Symbol == "TorchSharp.torch.Tensor.logsumexp");
        Assert.Contains(numerics.Rules.Forbidden, f => f.Symbol == "TorchSharp.Modules.CrossEntropyLoss");
        Assert.DoesNotContain(numerics.Rules.Forbidden, f => f.Symbol.Contains("mse", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(numerics.Rules.Namespaces);

        // The candidate reads the same rules at the end of the statement: every reason once, with each of its symbols.
        var section = numerics.Statement[numerics.Statement.IndexOf("\n## Rules\n", StringComparison.Ordinal)..];
        foreach (var rule in numerics.Rules.Forbidden)
        {
            Assert.Contains($"`{rule.Symbol}`", section, StringComparison.Ordinal);
        }
        foreach (var reason in numerics.Rules.Forbidden.Select(f => f.Reason).Distinct())
        {
            Assert.Single(section.Split('\n'), line => line.StartsWith("- " + char.ToUpperInvariant(reason[0]) + reason[1..] + ". Not allowed: `", StringComparison.Ordinal));
        }
        Assert.EndsWith("\n", numerics.Statement, StringComparison.Ordinal);

        var training = pack.Challenges.Single(c => c.Id == "training-loop");
        Assert.Same(SubmissionRules.None, training.Rules);
        Assert.DoesNotContain("## Rules", training.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Forbid_takes_one_symbol_or_a_list_and_namespaces_stand_in_an_entry_of_their_own()
    {
        var copy = Copy();
        var path = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var text = File.ReadAllText(path);
        var rules = text[text.IndexOf("rules:\n", StringComparison.Ordinal)..text.IndexOf("\nprobes:\n", StringComparison.Ordinal)];
        File.WriteAllText(path, text.Replace(rules, """
            rules:
              - namespaces: [TinyGpt, Lab.Tools]
              - forbid: TorchSharp.torch.nn.functional.scaled_dot_product_attention
                reason: attention is computed explicitly.

            """, StringComparison.Ordinal));

        var attention = PackLoader.Load(copy).Challenges.Single(c => c.Id == "causal-attention");
        Assert.Equal(["TinyGpt", "Lab.Tools"], attention.Rules.Namespaces);
        var rule = Assert.Single(attention.Rules.Forbidden);
        Assert.Equal(new ForbiddenSymbol("TorchSharp.torch.nn.functional.scaled_dot_product_attention", "attention is computed explicitly."), rule);
        Assert.Contains("- Attention is computed explicitly. Not allowed: `TorchSharp.torch.nn.functional.scaled_dot_product_attention`.\n", attention.Statement, StringComparison.Ordinal);
        Assert.Contains("global namespace and in `TinyGpt`, `Lab.Tools`", attention.Statement, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("      - TorchSharp.torch.nn.MultiheadAttention\n", "      - MultiheadAttention\n", "rules[0].forbid", "'MultiheadAttention' is not a fully qualified C# name")]
    [InlineData("      - TorchSharp.torch.nn.MultiheadAttention\n", "      - TorchSharp.Modules.List<T>\n", "rules[0].forbid", "not a fully qualified C# name")]
    [InlineData("      - TorchSharp.torch.nn.MultiheadAttention\n", "      - TorchSharp.Modules.MultiheadAttention\n", "rules[0].forbid", "forbidden twice")]
    [InlineData("      - TorchSharp.torch.nn.MultiheadAttention\n", "      - \"\"\n", "rules[0].forbid[1]", "non-empty")]
    [InlineData("    reason: the attention", "    reasons: the attention", "rules[0].reasons", "unknown field")]
    [InlineData("    reason: the attention scores and weights are computed explicitly in this block, not by a fused attention call\n", "", "rules[0].reason", "is required")]
    [InlineData("rules:\n", "rules:\n  - namespaces: [Not-A-Namespace]\n", "rules[0].namespaces", "not a C# namespace name")]
    [InlineData("rules:\n", "rules:\n  - namespaces: [A]\n    reason: why\n", "rules[0].namespaces", "entry of its own")]
    [InlineData("rules:\n", "rules:\n  - namespaces: [A]\n  - namespaces: [B]\n", "rules[1].namespaces", "given twice")]
    [InlineData("rules:\n", "rules:\n  - reason: no symbol\n", "rules[0].forbid", "is required")]
    [InlineData("rules:\n", "rules:\n  - forbid: []\n    reason: empty\n", "rules[0].forbid", "non-empty list")]
    [InlineData("level: 3\n", "level: 3\nscoring: per-bugs\n", "scoring", "expected tests")]
    [InlineData("level: 3\n", "level: 3\nscoring: per-bug\n", "bugs[0].title", "is required with scoring: per-bug")]
    public void Malformed_rules_and_scoring_are_reported_precisely(string find, string replace, string field, string problem)
    {
        var copy = Copy();
        var path = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, ReplaceFirst(text, find, replace));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("causal-attention/challenge.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_with_its_own_rules_section_is_rejected()
    {
        var copy = Copy();
        File.AppendAllText(Path.Combine(copy, "causal-attention", "statement.md"), "\n## Rules\n\n- be nice\n");
        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("causal-attention/statement.md", error.File, StringComparison.Ordinal);
        Assert.Contains("generated from rules:", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_bug_challenge_gives_every_test_the_titles_of_its_bugs()
    {
        var tinyGpt = PackLoader.Load(LabScreen).Challenges.Single(c => c.Id == "tiny-gpt");
        Assert.Equal(ScoringMode.PerBug, tinyGpt.Scoring);
        Assert.Equal(10, tinyGpt.Bugs.Count);
        Assert.All(tinyGpt.Bugs, b => Assert.False(string.IsNullOrWhiteSpace(b.Title)));
        Assert.Equal(tinyGpt.Bugs.Count, tinyGpt.Bugs.Select(b => b.Title).Distinct().Count());
        var titles = tinyGpt.Bugs.ToDictionary(b => b.Id, b => b.Title);
        Assert.All(tinyGpt.Tests, t => Assert.Equal(t.Targets.Select(id => titles[id]), t.TargetTitles!));
        Assert.All(tinyGpt.Bugs, b => Assert.Contains(tinyGpt.Tests, t => t.Visibility == Visibility.Hidden && t.Targets.SequenceEqual([b.Id])));

        var weighted = PackLoader.Load(LabScreen).Challenges.Single(c => c.Id == "causal-attention");
        Assert.Equal(ScoringMode.Tests, weighted.Scoring);
        Assert.All(weighted.Tests, t => Assert.Null(t.TargetTitles));
    }

    [Theory]
    [InlineData("    title: Causal mask\n", "", "bugs[3].title", "is required with scoring: per-bug")]
    [InlineData("    title: Causal mask\n", "    title: Position embeddings\n", "bugs[3].title", "the title of another bug")]
    [InlineData("    title: Causal mask\n", "    title: A title far too long to be the short phrase that names a planted bug in a verdict\n", "bugs[3].title", "at most 80 characters")]
    [InlineData("  - id: no-mask\n", "  - id: no-mask\n    title: Mask deleted\n", "wrong_fixes[0].title", "unknown field")]
    [InlineData("targets: [top-k]", "targets: [top-k, temperature]", "bugs[9]", "no hidden test that targets it alone")]
    public void Malformed_per_bug_challenges_are_reported_precisely(string find, string replace, string field, string problem)
    {
        var copy = Copy();
        var path = Path.Combine(copy, "tiny-gpt", "challenge.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        // Every test of top-k alone has to go for the last case, so it replaces all occurrences.
        File.WriteAllText(path, field == "bugs[9]" ? text.Replace(find, replace, StringComparison.Ordinal) : ReplaceFirst(text, find, replace));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("tiny-gpt/challenge.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Lab_screen_offers_its_assessment_templates()
    {
        var pack = PackLoader.Load(LabScreen);
        var screen = Assert.Single(pack.Templates, t => t.Id == "screen-90");
        Assert.Equal(90, screen.TimeLimitMinutes);
        Assert.Equal(pack.Challenges.Select(c => c.Id), screen.Levels.Select(l => l.Challenge));
        Assert.Equal(screen.MaxPoints, screen.Levels.Sum(l => l.Points));
        Assert.Equal(("score", 0.8), (screen.Levels[^1].PassRule, screen.Levels[^1].PassThreshold));
        Assert.All(pack.Templates, t => Assert.All(t.Levels, l => Assert.Equal("lab-screen", l.Pack)));
    }

    [Theory]
    [InlineData("{ challenge: training-loop, points: 150 }", "{ challenge: nowhere, points: 150 }", "assessments[0].levels[1].challenge", "not a challenge of this pack")]
    [InlineData("pass_rule: score, pass_threshold: 0.8 }", "pass_rule: score }", "assessments[0].levels[3].pass_threshold", "needs pass_threshold")]
    [InlineData("pass_points: 420", "pass_points: 700", "assessments[0].pass_points", "from 0 to 600")]
    [InlineData("  - id: debugging-45", "  - id: screen-90", "assessments[1].id", "used twice")]
    [InlineData("    hints_allowed: true\n    levels:", "    hints: true\n    levels:", "assessments[0].hints", "unknown field")]
    public void Malformed_template_is_reported_precisely(string find, string replace, string field, string problem)
    {
        var copy = Copy();
        var path = Path.Combine(copy, "pack.yaml");
        var text = File.ReadAllText(path);
        find = find.Replace("\\n", "\n", StringComparison.Ordinal);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, ReplaceFirst(text, find, replace.Replace("\\n", "\n", StringComparison.Ordinal)));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("pack.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    private string Copy()
    {
        var target = Path.Combine(_scratch, "lab-screen");
        TestPacks.CopyDirectory(LabScreen, target);
        return target;
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }
}
