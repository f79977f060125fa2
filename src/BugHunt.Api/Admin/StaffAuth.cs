using System.Security.Cryptography;
using System.Text;
using BugHunt.Api.Sessions;
using BugHunt.Core.Sessions;
using BugHunt.Core.Staff;

namespace BugHunt.Api.Admin;

/// <summary>Who a presented key belongs to: a staff member, a revoked user, a candidate, or nobody.</summary>
internal sealed record StaffSignIn(StaffActor? Actor, StaffUser? Revoked = null, bool CandidateToken = false);

/// <summary>Resolves keys to staff: the bootstrap admin key (BUGHUNT_ADMIN_KEY) first, then staff users' keys.</summary>
internal sealed class StaffKeys(AdminOptions options, StaffStore staff, SessionStore sessions)
{
    /// <param name="lookForCandidates">Whether to tell a candidate's session token from an unknown key (it costs a lookup).</param>
    public async Task<StaffSignIn> SignInAsync(string key, bool lookForCandidates, CancellationToken ct)
    {
        if (StaffAuth.Matches(key, options.Key))
        {
            return new StaffSignIn(StaffAuth.Bootstrap);
        }
        if (await staff.FindByKeyAsync(key, ct) is { } user)
        {
            return user.RevokedAt is null ? new StaffSignIn(user.ToActor()) : new StaffSignIn(null, user);
        }
        return new StaffSignIn(null, CandidateToken: lookForCandidates && key.Length > 0 && await sessions.FindByTokenAsync(key, ct) is not null);
    }
}

/// <summary>
/// The staff API's gate. Every request under /api/admin, and every endpoint that declares staff roles
/// wherever it is mapped, needs a staff key as "X-Api-Key" (or "Authorization: Bearer &lt;key&gt;"):
/// none, an unknown or a revoked one is 401, and a candidate's session token 403. Then the caller's
/// role must be one the endpoint declares with <see cref="StaffEndpoints.RequireStaff{TBuilder}"/>, or admin;
/// otherwise 403 naming the roles required. An endpoint that declares none is for admins only: a
/// forgotten declaration closes the endpoint rather than opening it.
/// </summary>
/// <remarks>
/// This runs as middleware after routing, not as an endpoint filter: it holds for endpoints mapped
/// outside the admin group too, and a refused caller's request body is never read.
/// </remarks>
public static class StaffAuth
{
    public const string Header = "X-Api-Key";

    public const string Prefix = "/api/admin";

    /// <summary>Who the bootstrap key (BUGHUNT_ADMIN_KEY) is. Spaces and parentheses keep any staff user from taking the name.</summary>
    public static readonly StaffActor Bootstrap = new("admin (bootstrap key)", StaffRole.Admin);

    public static void UseStaffAuth(this WebApplication app) => app.Use(async (http, next) =>
    {
        var endpoint = http.GetEndpoint();
        var declared = endpoint?.Metadata.GetMetadata<StaffRolesMetadata>();
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        var guarded = declared is not null || http.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
            || (pattern is not null && IsStaffRoute(pattern));
        if (!guarded)
        {
            await next(http);
            return;
        }
        var key = PresentedKey(http);
        var signIn = key.Length == 0 ? new StaffSignIn(null) : await http.RequestServices.GetRequiredService<StaffKeys>().SignInAsync(key, lookForCandidates: true, http.RequestAborted);
        if (signIn.Actor is not { } actor)
        {
            await Refusal(key, signIn).ExecuteAsync(http);
            return;
        }
        // No endpoint, or routing's own rejection (405 for the method, 415 for the content type, which
        // carry no metadata at all): routing answers that to any staff member. Any endpoint that was
        // mapped and declares nothing is for admins only.
        var roles = endpoint is null || endpoint.Metadata.Count == 0 ? StaffRoles.All : declared?.Roles ?? [StaffRole.Admin];
        if (actor.Role != StaffRole.Admin && !roles.Contains(actor.Role))
        {
            await WrongRole(actor, roles).ExecuteAsync(http);
            return;
        }
        http.Items[typeof(StaffActor)] = actor;
        await next(http);
    });

    /// <summary>Whether a route pattern is part of the staff API.</summary>
    public static bool IsStaffRoute(string pattern)
    {
        var path = "/" + pattern.Trim('/');
        return path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult Refusal(string key, StaffSignIn signIn) =>
        key.Length == 0 ? Unauthorized("Staff key required", $"Send your staff API key in the {Header} header (or as 'Authorization: Bearer <key>').")
        : signIn.Revoked is { } user ? Unauthorized("Staff key revoked",
            $"The key of {user.Name} was revoked on {user.RevokedAt:yyyy-MM-dd HH:mm} UTC. Ask an admin for a new key.")
        : signIn.CandidateToken ? TypedResults.Problem("Candidate session tokens cannot use the admin API.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
        : Unauthorized("Staff key not accepted", "That key belongs to no staff user of this installation, nor is it the bootstrap admin key.");

    private static IResult Unauthorized(string title, string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: title);

    /// <summary>403 naming the roles that may (admin is implied unless it is the only one) and the caller's.</summary>
    private static IResult WrongRole(StaffActor actor, IReadOnlyList<StaffRole> roles)
    {
        var needed = roles.Where(r => r != StaffRole.Admin).DefaultIfEmpty(StaffRole.Admin).ToList();
        return TypedResults.Problem(
            $"This needs the {StaffRoles.Sentence(needed)} role; you are signed in as {actor.Name} ({actor.Role.Name()}).",
            statusCode: StatusCodes.Status403Forbidden, title: "Role not allowed",
            extensions: new Dictionary<string, object?> { ["required_roles"] = needed.Select(r => r.Name()).ToArray(), ["role"] = actor.Role.Name() });
    }

    /// <summary>The key sent as X-Api-Key, or else as a bearer token; empty when there is none.</summary>
    public static string PresentedKey(HttpContext http) =>
        http.Request.Headers[Header].ToString() is { Length: > 0 } key ? key : SessionAuth.BearerToken(http) ?? "";

    /// <summary>Compares in constant time, so the response time does not tell how much of a key was right.</summary>
    public static bool Matches(string presented, string? secret) =>
        presented.Length > 0 && secret is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(secret));
}

public sealed class AdminOptions
{
    /// <summary>Configuration key (environment variable) holding the bootstrap admin key.</summary>
    public const string KeyVariable = "BUGHUNT_ADMIN_KEY";

    public required string Key { get; init; }
}
