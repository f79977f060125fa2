using BugHunt.Core.Assessments;

namespace BugHunt.Core.Packs;

// assessments: in pack.yaml, standard assessments a recruiter creates from one name.
public static partial class PackLoader
{
    public static readonly string[] TemplateFields =
        ["id", "name", "description", "time_limit_minutes", "max_points", "pass_points", "hints_allowed", "ai_policy", "proctoring", "levels"];

    public static readonly string[] TemplateLevelFields = ["challenge", "points", "pass_rule", "pass_threshold"];

    private static List<AssessmentTemplate> ReadTemplates(YamlFields manifest, string packId, IReadOnlyList<string> challengeIds)
    {
        var templates = new List<AssessmentTemplate>();
        foreach (var t in manifest.MappingList("assessments", required: false))
        {
            t.AllowOnly(TemplateFields);
            var id = t.RequiredId("id");
            if (templates.Any(x => x.Id == id))
            {
                throw t.Error("id", $"template id '{id}' is used twice");
            }
            var max = t.RequiredInt("max_points", 1, 100_000);
            var pass = t.RequiredInt("pass_points", 0, max);
            var proctoringYaml = t.Mapping("proctoring")?.AllowOnly("webcam", "screen");
            var levels = t.MappingList("levels", required: true).Select(l => ReadTemplateLevel(l, packId, challengeIds)).ToList();
            if (levels.Count is 0 or > 20)
            {
                throw t.Error("levels", $"expected 1 to 20 levels, got {levels.Count}");
            }
            var policy = t.OptionalString("ai_policy");
            if (policy is { Length: > 2000 })
            {
                throw t.Error("ai_policy", "expected at most 2000 characters");
            }
            templates.Add(new AssessmentTemplate(
                id,
                t.RequiredString("name"),
                t.OptionalString("description") ?? "",
                t.RequiredInt("time_limit_minutes", 1, 1440),
                max,
                pass,
                t.OptionalBool("hints_allowed") ?? true,
                policy,
                new ProctoringRequirements(proctoringYaml?.OptionalBool("webcam") ?? false, proctoringYaml?.OptionalBool("screen") ?? false),
                levels));
        }
        return templates;
    }

    private static TemplateLevel ReadTemplateLevel(YamlFields l, string packId, IReadOnlyList<string> challengeIds)
    {
        l.AllowOnly(TemplateLevelFields);
        var challenge = l.RequiredString("challenge");
        if (!challengeIds.Contains(challenge))
        {
            throw l.Error("challenge", $"'{challenge}' is not a challenge of this pack ({string.Join(", ", challengeIds)})");
        }
        var rule = l.OptionalString("pass_rule") ?? "all_tests";
        var threshold = l.OptionalDouble("pass_threshold", min: 0);
        switch (rule)
        {
            case "all_tests" when threshold is null:
                break;
            case "all_tests":
                throw l.Error("pass_threshold", "only a score pass rule has a threshold");
            case "score" when threshold is > 0 and <= 1:
                break;
            case "score":
                throw l.Error("pass_threshold", "a score pass rule needs pass_threshold in (0, 1], the share of the level's score that passes");
            default:
                throw l.Error("pass_rule", $"expected all_tests or score, got '{rule}'");
        }
        return new TemplateLevel(packId, challenge, l.OptionalInt("points", 0, 10_000) ?? 100, rule, threshold);
    }
}
