using BugHunt.Api.Authoring;
using BugHunt.Api.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

/// <summary>
/// The staff API under /api/admin, behind staff keys (StaffAuth): one file per feature maps its
/// endpoints here, each declaring the roles it admits with <c>.RequireStaff(...)</c>.
/// </summary>
public static class AdminApi
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(StaffAuth.Prefix).WithTags("Admin");
        admin.MapCatalogue();
        admin.MapAssessments();
        admin.MapInvites();
        admin.MapExtraTime();
        admin.MapReports();
        admin.MapSimilarity();
        admin.MapStaff();
        admin.MapPackAuthoring();
        admin.MapRejudges();
        admin.MapWebhooks();
    }

    /// <summary>
    /// The one rule for the admin API's fractional numbers (its integers cannot be NaN or infinite, and
    /// reading them refuses 1e999): the name of the first that is not finite, or null.
    /// </summary>
    internal static string? NotFinite(IEnumerable<(string Field, double? Value)> numbers) =>
        numbers.FirstOrDefault(n => n.Value is { } v && !double.IsFinite(v)).Field;

    internal static ProblemHttpResult NoAssessment(Guid id) => TypedResults.Problem($"No assessment {id}.", statusCode: 404, title: "Assessment not found");
}
