using BugHunt.Api.Hosting;
using BugHunt.Core.Assessments;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

/// <summary>Recruiters browse what assessments are built from: the imported packs, their challenges and templates.</summary>
public static class CatalogueAdminApi
{
    private static readonly PagedList Listing = new("catalogue", KeyPart.Text, KeyPart.Text);

    public static void MapCatalogue(this RouteGroupBuilder admin) =>
        admin.MapGet("/catalogue", ListAsync)
            .RequireStaff(StaffRole.Author, StaffRole.Recruiter)
            .WithName("ListCatalogue").WithSummary("The imported packs by id, each with its challenges at their latest version (level, expected minutes, topics, test counts) "
                + "and its assessment templates; paged (?limit=, ?cursor=).");

    private static Task<Results<Ok<PageView<CataloguePack>>, ProblemHttpResult>> ListAsync(HttpContext http, CatalogueStore catalogue, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Listing, page => catalogue.ListAsync(page, ct));
}
