using BugHunt.Core.Assessments;
using BugHunt.Core.Staff;

namespace BugHunt.Api.Admin;

public sealed record Catalogue(IReadOnlyList<CataloguePack> Packs);

/// <summary>Recruiters browse what assessments are built from: the imported packs, their challenges and templates.</summary>
public static class CatalogueAdminApi
{
    public static void MapCatalogue(this RouteGroupBuilder admin) =>
        admin.MapGet("/catalogue", async (CatalogueStore catalogue, CancellationToken ct) =>
                TypedResults.Ok(new Catalogue(await catalogue.ListAsync(ct))))
            .RequireStaff(StaffRole.Author, StaffRole.Recruiter)
            .WithName("GetCatalogue").WithSummary("Every imported pack with its challenges at their latest version (level, expected minutes, topics, test counts) "
                + "and its assessment templates.");
}
