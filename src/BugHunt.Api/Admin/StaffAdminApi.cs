using BugHunt.Api.Hosting;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Admin;

public sealed record NewUserRequest(string? Name, string? Role);

/// <summary>A user just added. The key is in this response only: BugHunt keeps its hash, never the key.</summary>
public sealed record UserCreated(string Name, StaffRole Role, DateTime CreatedAt, string Key);

/// <summary>Who is signed in, staff accounts (admins), and the audit log of what staff did (admins).</summary>
public static class StaffAdminApi
{
    public static void MapStaff(this RouteGroupBuilder admin)
    {
        admin.MapGet("/me", (HttpContext http) => TypedResults.Ok(http.Staff()))
            .RequireStaff(StaffRoles.All).WithName("GetMe").WithSummary("The signed-in staff member: name and role.");
        admin.MapGet("/users", UsersAsync)
            .RequireStaff(StaffRole.Admin).WithName("ListUsers").WithSummary("Staff users by name with role, creation, last use and revocation (never their keys); paged (?limit=, ?cursor=).");
        admin.MapPost("/users", AddAsync).RequireStaff(StaffRole.Admin)
            .WithName("AddUser").ProducesProblem(409).WithSummary("Add a staff user with a role (admin, author, recruiter, proctor). The response holds the user's API key, shown this once.");
        admin.MapDelete("/users/{name}", RevokeAsync).RequireStaff(StaffRole.Admin).WithName("RevokeUser").ProducesProblem(409).WithSummary("Revoke a staff user's key for good; the user stays listed.");
        admin.MapGet("/audit", AuditAsync).RequireStaff(StaffRole.Admin)
            .WithName("ListAuditLog").WithSummary($"Staff actions, newest first; filter by actor, action, target; paged (?limit= 1..{Paging.MaxLimit}, default {Paging.DefaultLimit}; ?cursor=).");
    }

    private static async Task<Results<Created<UserCreated>, ProblemHttpResult>> AddAsync(NewUserRequest request, StaffStore staff, HttpContext http, CancellationToken ct)
    {
        if (!StaffStore.IsValidName(request.Name))
        {
            return TypedResults.Problem($"name must be {StaffStore.NameRule}.", statusCode: 400, title: "User not valid");
        }
        if (StaffRoles.Parse(request.Role) is not { } role)
        {
            return TypedResults.Problem($"role must be {StaffRoles.Sentence(StaffRoles.All)}.", statusCode: 400, title: "User not valid");
        }
        if (await staff.AddAsync(request.Name!, role, http.Staff(), ct) is not { } added)
        {
            return NameTaken(await staff.GetAsync(request.Name!, ct), request.Name!);
        }
        return TypedResults.Created($"/api/admin/users/{Uri.EscapeDataString(added.User.Name)}", new UserCreated(added.User.Name, role, added.User.CreatedAt, added.Key));
    }

    private static ProblemHttpResult NameTaken(StaffUser? existing, string name) => TypedResults.Problem(
        existing?.RevokedAt is { } revoked
            ? $"There is already a user {existing.Name} (revoked on {revoked:yyyy-MM-dd}); names are not reused, so that the audit log names one person. Choose another name."
            : $"There is already a user {existing?.Name ?? name}; choose another name.",
        statusCode: StatusCodes.Status409Conflict, title: "Name taken");

    private static async Task<Results<Ok<StaffUser>, ProblemHttpResult>> RevokeAsync(string name, StaffStore staff, HttpContext http, CancellationToken ct)
    {
        var (outcome, user) = await staff.RevokeAsync(name, http.Staff(), ct);
        return outcome switch
        {
            RevokeOutcome.Revoked => TypedResults.Ok(user!),
            RevokeOutcome.AlreadyRevoked => TypedResults.Problem($"{user!.Name}'s key was already revoked on {user.RevokedAt:yyyy-MM-dd HH:mm} UTC.", statusCode: StatusCodes.Status409Conflict, title: "Already revoked"),
            _ => TypedResults.Problem($"No staff user {name}.", statusCode: StatusCodes.Status404NotFound, title: "User not found"),
        };
    }

    private static readonly PagedList Users = new("staff-users", KeyPart.Text, KeyPart.Text);

    private static readonly PagedList Audit = new("audit-log", KeyPart.Number, KeyPart.Number);

    private static Task<Results<Ok<PageView<StaffUser>>, ProblemHttpResult>> UsersAsync(HttpContext http, StaffStore staff, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Users, page => staff.ListAsync(page, ct));

    // A cursor is for one filter: filters change with the query, so the list is keyed by id alone.
    private static Task<Results<Ok<PageView<AuditEntry>>, ProblemHttpResult>> AuditAsync(
        string? actor, string? action, string? target, HttpContext http, AuditLog audit, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Audit, page => audit.ListAsync(new AuditQuery(Blank(actor), Blank(action), Blank(target)), page, ct));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
