using BugHunt.Core.Checks;
using BugHunt.Core.Sandbox;

namespace BugHunt.Core.Packs;

/// <summary>Loads a challenge pack folder (pack.yaml + one folder per challenge) and checks its format.</summary>
public static partial class PackLoader
{
    public const string ManifestFile = "pack.yaml";
    public const string ChallengeFile = "challenge.yaml";
    public const int MaxSourceBytes = 256 * 1024;
    public const int MaxBugTitleLength = 80;
    public const int MaxRuleReasonLength = 300;

    /// <summary>The fields pack.yaml may have (schemas/pack.schema.json lists the same).</summary>
    public static readonly string[] ManifestFields = ["id", "title", "challenges", "assessments"];

    /// <summary>The fields challenge.yaml may have (schemas/challenge.schema.json lists the same).</summary>
    public static readonly string[] ChallengeFields =
        ["id", "title", "level", "expected_solve_minutes", "topics", "editable", "limits", "scoring", "rules", "probes", "tests", "bugs", "wrong_fixes", "hints", "equivalent_mutants"];

    public static ChallengePack Load(string directory)
    {
        var root = Path.GetFullPath(directory);
        var packName = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        if (!Directory.Exists(root))
        {
            throw new PackFormatException(directory, "", "pack folder does not exist");
        }
        var manifest = YamlFields.Load(Path.Combine(root, ManifestFile), $"{packName}/{ManifestFile}").AllowOnly(ManifestFields);
        var id = manifest.RequiredId("id");
        var title = manifest.RequiredString("title");
        var challengeIds = manifest.StringList("challenges", required: true);
        if (challengeIds.Count == 0)
        {
            throw manifest.Error("challenges", "expected at least one challenge folder name");
        }
        var duplicate = challengeIds.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw manifest.Error("challenges", $"'{duplicate.Key}' is listed twice");
        }
        var challenges = challengeIds.Select(c => LoadChallenge(root, packName, id, c, manifest)).ToList();
        PackLayout.Check(root, packName, challengeIds);
        return new ChallengePack(id, title, root, challenges) { Templates = ReadTemplates(manifest, id, challengeIds) };
    }

    private static Challenge LoadChallenge(string root, string packName, string packId, string folder, YamlFields manifest)
    {
        if (!PackIds.IsValid(folder))
        {
            throw manifest.Error("challenges", $"'{folder}' is not a valid challenge id: use lowercase letters, digits and dashes");
        }
        var dir = Path.Combine(root, folder);
        var shown = $"{packName}/{folder}";
        if (!Directory.Exists(dir))
        {
            throw new PackFormatException($"{packName}/{ManifestFile}", "challenges", $"challenge folder '{folder}' does not exist");
        }
        var yaml = YamlFields.Load(Path.Combine(dir, ChallengeFile), $"{shown}/{ChallengeFile}")
            .AllowOnly(ChallengeFields);
        var id = yaml.RequiredId("id");
        if (id != folder)
        {
            throw yaml.Error("id", $"must equal the challenge's folder name '{folder}', got '{id}'");
        }
        var title = yaml.RequiredString("title");
        var level = yaml.RequiredInt("level", 1, 20);
        var solveMinutes = yaml.OptionalInt("expected_solve_minutes", 1, 600) ?? 30;
        var topics = yaml.Has("topics") ? yaml.StringList("topics", required: true) : null;
        if (topics?.FirstOrDefault(t => !PackIds.IsValid(t)) is { } badTopic)
        {
            throw yaml.Error("topics", $"'{badTopic}' is not a topic: use lowercase words joined by dashes, e.g. attention or mixed-precision");
        }
        var editable = yaml.StringList("editable", required: true);
        if (editable.Count == 0)
        {
            throw yaml.Error("editable", "expected at least one file the candidate edits");
        }
        foreach (var name in editable)
        {
            if (!SubmittedFiles.IsValidName(name))
            {
                throw yaml.Error("editable", $"'{name}' is not a valid file name: a plain name ending in .cs, no folders");
            }
        }
        var limitsYaml = (yaml.Mapping("limits") ?? throw yaml.Error("limits", "is required (time_seconds and memory_mb)")).AllowOnly("time_seconds", "memory_mb");
        var limits = new SandboxLimits(limitsYaml.RequiredInt("time_seconds", 1, 600), limitsYaml.RequiredInt("memory_mb", 128, 8192));
        var scoring = yaml.OptionalString("scoring") switch
        {
            null or "tests" => ScoringMode.Tests,
            "per-bug" => ScoringMode.PerBug,
            var other => throw yaml.Error("scoring", $"expected tests (the weighted share of tests passed) or per-bug (equal credit per planted bug fixed), got '{other}'"),
        };
        var rules = ReadRules(yaml);

        var probes = new List<ProbeSource>();
        foreach (var p in yaml.MappingList("probes", required: true))
        {
            p.AllowOnly("id", "file");
            var probeId = p.RequiredId("id");
            var file = p.RequiredString("file");
            if (probes.Any(x => x.Id == probeId))
            {
                throw p.Error("id", $"probe id '{probeId}' is used twice");
            }
            probes.Add(new ProbeSource(probeId, ReadText(dir, shown, file, p, "file")));
        }

        var tests = yaml.MappingList("tests", required: true).Select(t => ReadTest(t, probes)).ToList();
        if (tests.Count == 0)
        {
            throw yaml.Error("tests", "expected at least one test");
        }
        var dupTest = tests.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dupTest is not null)
        {
            throw yaml.Error("tests", $"test id '{dupTest.Key}' is used twice");
        }
        if (!tests.Any(t => t.Visibility == Visibility.Hidden))
        {
            throw yaml.Error("tests", "expected at least one hidden test: grading must not rest on tests the candidate can see");
        }

        var reference = ReadReference(dir, shown, editable, yaml);
        var bugs = ReadVariants(yaml, "bugs", dir, shown, reference, titled: true);
        var wrongFixes = ReadVariants(yaml, "wrong_fixes", dir, shown, reference, titled: false);
        var known = bugs.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var test in tests)
        {
            var unknown = test.Targets.FirstOrDefault(t => !known.Contains(t));
            if (unknown is not null)
            {
                throw yaml.Error($"tests[{tests.IndexOf(test)}].targets", $"'{unknown}' is not a planted bug listed under bugs");
            }
        }

        if (scoring == ScoringMode.PerBug)
        {
            tests = CheckPerBug(yaml, tests, bugs);
        }

        var hints = new List<Hint>();
        foreach (var h in yaml.MappingList("hints", required: false))
        {
            h.AllowOnly("id", "cost_percent", "text");
            var hint = new Hint(h.RequiredId("id"), h.RequiredInt("cost_percent", 0, 100), h.RequiredString("text"));
            if (hints.Any(x => x.Id == hint.Id))
            {
                throw h.Error("id", $"hint id '{hint.Id}' is used twice");
            }
            hints.Add(hint);
        }

        var statement = ReadText(dir, shown, "statement.md", yaml, "statement.md");
        if (statement.Split('\n').Any(line => line.TrimEnd() == RulesHeading))
        {
            throw new PackFormatException($"{shown}/statement.md", "", $"has its own '{RulesHeading}' section: that section is generated from rules: in {ChallengeFile}, so the candidate reads exactly what is enforced");
        }
        var starter = DeriveStarter(dir, shown, reference, bugs);
        return new Challenge(packId, id, title, level, solveMinutes, WithRules(statement, rules), editable, limits, starter, reference, probes, tests, bugs, wrongFixes, hints)
        {
            Rules = rules,
            EquivalentMutants = ReadEquivalentMutants(yaml),
            Topics = topics,
            Notebook = ReadNotebook(dir, shown),
            Scoring = scoring,
        };
    }

    private static TestSpec ReadTest(YamlFields t, IReadOnlyList<ProbeSource> probes)
    {
        t.AllowOnly("id", "title", "probe", "visibility", "category", "weight", "targets", "check");
        var id = t.RequiredId("id");
        var title = t.OptionalString("title") ?? id;
        var probe = t.RequiredString("probe");
        if (!probes.Any(p => p.Id == probe))
        {
            throw t.Error("probe", $"'{probe}' is not a probe listed under probes");
        }
        var visibility = t.RequiredString("visibility") switch
        {
            "public" => Visibility.Public,
            "hidden" => Visibility.Hidden,
            var other => throw t.Error("visibility", $"expected public or hidden, got '{other}'"),
        };
        var category = t.OptionalString("category") ?? "correctness";
        var weight = t.OptionalDouble("weight", min: 0) ?? 1;
        var targets = t.StringList("targets", required: false);
        var checkYaml = t.Mapping("check") ?? throw t.Error("check", "is required (kind and its fields)");
        var check = ReadCheck(checkYaml);
        return new TestSpec(id, title, probe, visibility, category, weight, targets, check);
    }

    private static CheckSpec ReadCheck(YamlFields c)
    {
        c.AllowOnly("kind", "observation", "left", "right", "rtol", "atol", "nan_equal", "below", "above");
        var kindText = c.RequiredString("kind");
        var rtol = c.OptionalDouble("rtol", min: 0) ?? 1e-6;
        var atol = c.OptionalDouble("atol", min: 0) ?? 1e-8;
        var nanEqual = c.OptionalBool("nan_equal") ?? false;
        CheckSpec spec = kindText switch
        {
            "tensor" => new CheckSpec(CheckKind.Tensor, Observation: c.RequiredString("observation"), Rtol: rtol, Atol: atol, NanEqual: nanEqual),
            "equal" => new CheckSpec(CheckKind.Equal, Left: c.RequiredString("left"), Right: c.RequiredString("right"), Rtol: rtol, Atol: atol, NanEqual: nanEqual),
            "threshold" => new CheckSpec(CheckKind.Threshold, Observation: c.RequiredString("observation"), Below: c.OptionalDouble("below"), Above: c.OptionalDouble("above")),
            "bool" => new CheckSpec(CheckKind.Bool, Observation: c.RequiredString("observation")),
            _ => throw c.Error("kind", $"expected one of tensor, equal, threshold, bool, got '{kindText}'"),
        };
        if (spec.Kind == CheckKind.Threshold && spec.Below is null && spec.Above is null)
        {
            throw c.Error("below", "a threshold check needs below, above or both");
        }
        return spec;
    }

    /// <summary>The starting notebook's cells (notebook/*.csx in file name order), or null.</summary>
    private static IReadOnlyList<string>? ReadNotebook(string dir, string shown)
    {
        var folder = Path.Combine(dir, "notebook");
        if (!Directory.Exists(folder))
        {
            return null;
        }
        var cells = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(f =>
        {
            var relative = $"notebook/{Path.GetFileName(f)}";
            if (new FileInfo(f).Length > MaxSourceBytes)
            {
                throw new PackFormatException($"{shown}/{relative}", "", $"is larger than {MaxSourceBytes / 1024} KiB");
            }
            return File.ReadAllText(f).ReplaceLineEndings("\n");
        }).ToList();
        return cells.Count == 0 ? null : cells;
    }

    /// <summary>Reads the reference: exactly the editable files.</summary>
    private static Dictionary<string, string> ReadReference(string dir, string shown, IReadOnlyList<string> editable, YamlFields owner)
    {
        const string folder = "reference";
        var full = Path.Combine(dir, folder);
        if (!Directory.Exists(full))
        {
            throw new PackFormatException($"{shown}/{folder}", "", "folder is missing");
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(full).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!editable.Contains(name))
            {
                throw new PackFormatException($"{shown}/{folder}/{name}", "", $"is not one of the editable files ({string.Join(", ", editable)})");
            }
            files[name] = ReadText(dir, shown, $"{folder}/{name}", owner, "editable");
        }
        if (editable.FirstOrDefault(e => !files.ContainsKey(e)) is { } missing)
        {
            throw new PackFormatException($"{shown}/{folder}/{missing}", "", "is missing: the reference holds every editable file, and the starter is derived from it");
        }
        return files;
    }

    private static string ReadText(string dir, string shown, string relative, YamlFields owner, string field)
    {
        var full = InsideChallenge(dir, shown, relative, owner, field);
        if (!File.Exists(full))
        {
            throw owner.Error(field, $"file '{relative}' does not exist in {shown}");
        }
        if (new FileInfo(full).Length > MaxSourceBytes)
        {
            throw new PackFormatException($"{shown}/{relative}", "", $"is larger than {MaxSourceBytes / 1024} KiB");
        }
        return File.ReadAllText(full).ReplaceLineEndings("\n");
    }

    private static string InsideChallenge(string dir, string shown, string relative, YamlFields owner, string field)
    {
        var full = Path.GetFullPath(Path.Combine(dir, relative));
        if (!full.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw owner.Error(field, $"'{relative}' points outside the challenge folder {shown}");
        }
        return full;
    }
}
