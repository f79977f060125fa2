using BugHunt.Core.Staff;

namespace BugHunt.Api.Admin;

/// <summary>The staff roles an endpoint admits, besides admin. Read by <see cref="StaffAuth"/>.</summary>
public sealed class StaffRolesMetadata(IReadOnlyList<StaffRole> roles)
{
    public IReadOnlyList<StaffRole> Roles { get; } = roles;

    public override string ToString() => StaffRoles.Sentence(Roles);
}

/// <summary>
/// What a staff endpoint uses: <c>.RequireStaff(roles)</c> on its registration, <c>http.Staff()</c>
/// for who is calling, and <c>http.AuditAsync(action, target, detail)</c> to record what they did.
/// </summary>
public static class StaffEndpoints
{
    /// <summary>
    /// Declares the roles that may call this endpoint; admin always may. Every endpoint under
    /// /api/admin declares its roles: one that does not is for admins only.
    /// </summary>
    public static TBuilder RequireStaff<TBuilder>(this TBuilder builder, params StaffRole[] roles) where TBuilder : IEndpointConventionBuilder
    {
        if (roles.Length == 0)
        {
            throw new ArgumentException("Name at least one role (StaffRoles.All for any staff member).", nameof(roles));
        }
        return builder.WithMetadata(new StaffRolesMetadata([.. roles.Distinct()]));
    }

    /// <inheritdoc cref="RequireStaff{TBuilder}(TBuilder, StaffRole[])"/>
    public static TBuilder RequireStaff<TBuilder>(this TBuilder builder, IEnumerable<StaffRole> roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireStaff([.. roles]);

    /// <summary>The staff member calling this endpoint, as <see cref="StaffAuth"/> signed them in.</summary>
    public static StaffActor Staff(this HttpContext http) =>
        http.Items[typeof(StaffActor)] as StaffActor ?? throw new InvalidOperationException("StaffAuth did not run for this endpoint: map it under /api/admin or give it .RequireStaff(...).");

    /// <summary>
    /// Records that the calling staff member did <paramref name="action"/> ("pack.publish", see
    /// <see cref="AuditActions"/>) to <paramref name="target"/> (see <see cref="AuditTarget"/>), now.
    /// Await it before the response: when the entry cannot be written this throws, and the request
    /// fails instead of going unrecorded. Call it before releasing what was viewed, and after the
    /// change that was made. It does not stop when the caller hangs up: what was done is recorded.
    /// </summary>
    public static Task AuditAsync(this HttpContext http, string action, string target, object? detail = null) =>
        http.RequestServices.GetRequiredService<AuditLog>().RecordAsync(http.Staff(), action, target, detail, CancellationToken.None);
}
