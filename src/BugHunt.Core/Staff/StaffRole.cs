namespace BugHunt.Core.Staff;

/// <summary>
/// What a staff member may do. An admin may do everything; the others are kept apart on purpose:
/// an author never sees candidates' webcam snapshots, a proctor never publishes packs.
/// </summary>
public enum StaffRole
{
    /// <summary>Everything, including staff accounts and the audit log.</summary>
    Admin,

    /// <summary>Writes, publishes and rejudges challenge packs.</summary>
    Author,

    /// <summary>Builds assessments, invites candidates, reads results.</summary>
    Recruiter,

    /// <summary>Watches sessions, reads reports, snapshots and similar fixes.</summary>
    Proctor,
}

/// <summary>A staff member as the audit log records them: who, acting in which role.</summary>
public sealed record StaffActor(string Name, StaffRole Role);

public static class StaffRoles
{
    public static readonly IReadOnlyList<StaffRole> All = Enum.GetValues<StaffRole>();

    /// <summary>The role's name as stored, typed on the command line and shown ("recruiter").</summary>
    public static string Name(this StaffRole role) => role switch
    {
        StaffRole.Admin => "admin",
        StaffRole.Author => "author",
        StaffRole.Recruiter => "recruiter",
        StaffRole.Proctor => "proctor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a staff role"),
    };

    /// <summary>The role of that name, whatever its case ("Recruiter" too), or null.</summary>
    public static StaffRole? Parse(string? name) => All.Cast<StaffRole?>().FirstOrDefault(r => string.Equals(r!.Value.Name(), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"admin, author, recruiter or proctor": the roles in a sentence.</summary>
    public static string Sentence(IEnumerable<StaffRole> roles)
    {
        var names = roles.Select(Name).ToList();
        return names.Count <= 1 ? string.Join("", names) : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
