using System.Text.Json.Serialization;
using BugHunt.Api.Hosting;
using BugHunt.Core.Assessments;
using BugHunt.Core.Packs;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

// Admin bodies read numbers strictly, whatever the API's JSON options say: a "NaN" would slip
// through range checks, e.g. an invite that expires at once.
// Numbers too large for a double (1e999) still read as infinity: AdminApi.NotFinite refuses those.
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record LevelRequest(string? Pack, string? Challenge, int? Points, string? PassRule, double? PassThreshold);

[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record AssessmentRequest(
    string? Name,
    List<LevelRequest>? Levels,
    int? TimeLimitMinutes,
    int? MaxPoints,
    int? PassPoints,
    bool? HintsAllowed,
    string? AiPolicy,
    ProctoringRequirements? Proctoring,
    string? Template = null);

/// <summary>Recruiters build assessments from imported packs.</summary>
public static class AssessmentAdminApi
{
    public const string DefaultAiPolicy = "No AI assistants, code completion services or outside help. Documentation of C#, .NET and TorchSharp may be used.";

    public static void MapAssessments(this RouteGroupBuilder admin)
    {
        admin.MapGet("/assessments", ListAsync)
            .RequireStaff(StaffRole.Recruiter, StaffRole.Proctor).WithName("ListAssessments").WithSummary("Assessments, newest first, with their number of levels and sessions; paged (?limit=, ?cursor=).");
        admin.MapPost("/assessments", CreateAsync).RequireStaff(StaffRole.Recruiter)
            .WithName("CreateAssessment").WithSummary("Create an assessment from imported packs (the latest version of each challenge is pinned).");
        admin.MapGet("/assessments/{id:guid}", GetAsync).RequireStaff(StaffRole.Recruiter, StaffRole.Proctor).WithName("GetAssessment").WithSummary("An assessment with its levels.");
    }

    private static readonly PagedList Listing = new("assessments", KeyPart.Time, KeyPart.Uuid);

    private static Task<Results<Ok<PageView<AssessmentListing>>, ProblemHttpResult>> ListAsync(HttpContext http, AssessmentStore assessments, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Listing, page => assessments.ListAsync(page, ct));

    private static async Task<Results<Created<Assessment>, ProblemHttpResult>> CreateAsync(
        AssessmentRequest request, AssessmentStore assessments, ChallengeStore challenges, HttpContext http, CancellationToken ct)
    {
        static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Assessment not valid");
        if (request.Template is { } name)
        {
            var parts = name.Split('/');
            if (parts.Length != 2 || await challenges.TemplateAsync(parts[0], parts[1], ct) is not { } template)
            {
                return Bad($"template '{name}' is not an assessment template of an imported pack: name it <pack>/<template id>, as GET /api/admin/catalogue lists them.");
            }
            request = FromTemplate(template, request);
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return Bad("name is required (at most 200 characters).");
        }
        if (request.Levels is not { Count: > 0 and <= 20 })
        {
            return Bad("levels must list 1 to 20 levels, e.g. [{\"pack\": \"lab-screen\", \"challenge\": \"numerics-warmup\", \"points\": 100}].");
        }
        if (AdminApi.NotFinite(request.Levels.Select((l, i) => ($"levels[{i}].pass_threshold", l.PassThreshold))) is { } field)
        {
            return Bad($"{field} must be a finite number.");
        }
        var time = request.TimeLimitMinutes ?? 90;
        var max = request.MaxPoints ?? 600;
        var pass = request.PassPoints ?? (int)Math.Round(max * 0.7);
        if (time is < 1 or > 1440 || max < 1 || pass < 0 || pass > max)
        {
            return Bad("time_limit_minutes must be 1..1440, max_points positive, pass_points between 0 and max_points.");
        }
        var levels = new List<NewLevel>();
        for (var i = 0; i < request.Levels.Count; i++)
        {
            var l = request.Levels[i];
            if (l.Pack is null || l.Challenge is null)
            {
                return Bad($"levels[{i}] needs pack and challenge.");
            }
            var version = await challenges.LatestVersionAsync(l.Pack, l.Challenge, ct);
            if (version is null)
            {
                return Bad($"levels[{i}]: no imported challenge {l.Pack}/{l.Challenge} (import the pack with `bughunt pack import`).");
            }
            var threshold = (l.PassRule ?? "all_tests") switch
            {
                "all_tests" => 1.0,
                "score" when l.PassThreshold is > 0 and <= 1 => l.PassThreshold.Value,
                "score" => double.NaN,
                _ => double.NegativeInfinity,
            };
            if (double.IsNaN(threshold) || double.IsNegativeInfinity(threshold))
            {
                return Bad($"levels[{i}].pass_rule must be \"all_tests\" or \"score\" with pass_threshold in (0, 1].");
            }
            if (l.Points is < 0 or > 10_000)
            {
                return Bad($"levels[{i}].points must be 0..10000.");
            }
            levels.Add(new NewLevel(version.Value, l.Points ?? 100, threshold));
        }
        var id = await assessments.CreateAsync(new NewAssessment(request.Name, time, max, pass, request.HintsAllowed ?? true,
            request.AiPolicy ?? DefaultAiPolicy, request.Proctoring ?? new ProctoringRequirements(false, false), levels), ct);
        await http.AuditAsync(AuditActions.AssessmentCreate, AuditTarget.Assessment(id), new { name = request.Name, levels = levels.Count });
        return TypedResults.Created($"/api/admin/assessments/{id}", (await assessments.GetAsync(id, ct))!);
    }

    /// <summary>The request a template stands for; what the request gives itself (a name, say) wins.</summary>
    private static AssessmentRequest FromTemplate(AssessmentTemplate t, AssessmentRequest r) => new(
        r.Name ?? t.Name,
        r.Levels ?? [.. t.Levels.Select(l => new LevelRequest(l.Pack, l.Challenge, l.Points, l.PassRule, l.PassThreshold))],
        r.TimeLimitMinutes ?? t.TimeLimitMinutes,
        r.MaxPoints ?? t.MaxPoints,
        r.PassPoints ?? t.PassPoints,
        r.HintsAllowed ?? t.HintsAllowed,
        r.AiPolicy ?? t.AiPolicy,
        r.Proctoring ?? t.Proctoring);

    private static async Task<Results<Ok<Assessment>, ProblemHttpResult>> GetAsync(Guid id, AssessmentStore assessments, CancellationToken ct) =>
        await assessments.GetAsync(id, ct) is { } a ? TypedResults.Ok(a) : AdminApi.NoAssessment(id);
}
