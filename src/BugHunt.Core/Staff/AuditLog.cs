using System.Text.Json;
using System.Text.RegularExpressions;
using BugHunt.Core.Database;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Staff;

public sealed record AuditEntry(long Id, DateTime At, string Actor, StaffRole ActorRole, string Action, string Target, JsonElement? Detail);

/// <summary>Which entries to list: exact actor, action and target where given.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null);

/// <summary>The actions the audit log records: "noun.verb", lowercase.</summary>
public static class AuditActions
{
    public const string AssessmentCreate = "assessment.create";
    public const string InviteCreate = "invite.create";
    public const string SessionExtraTime = "session.extra_time";
    public const string ReportView = "report.view";
    public const string SnapshotView = "snapshot.view";
    public const string ResultsExport = "results.export";
    public const string UserAdd = "user.add";
    public const string UserRevoke = "user.revoke";
    public const string WebhookCreate = "webhook.create";
    public const string WebhookDelete = "webhook.delete";
    public const string WebhookRotateSecret = "webhook.rotate_secret";
    public const string WebhookRedeliver = "webhook.redeliver";
}

/// <summary>How entries name what was acted on, so that one target's history is one filter.</summary>
public static class AuditTarget
{
    public static string Assessment(Guid id) => $"assessment:{id}";

    public static string Session(Guid id) => $"session:{id}";

    public static string User(string name) => $"user:{name}";

    public static string Pack(string packId) => $"pack:{packId}";

    public static string Webhook(Guid id) => $"webhook:{id}";
}

/// <summary>
/// What staff did, when and to what: append-only (the table refuses updates and deletes). Entries
/// are written in the request that acts, and a failure to write one is an exception, never skipped.
/// </summary>
public sealed partial class AuditLog(NpgsqlDataSource db, TimeProvider clock)
{
    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\z")]
    private static partial Regex ActionPattern();

    /// <summary>Records an action in its own transaction.</summary>
    public async Task RecordAsync(StaffActor actor, string action, string target, object? detail, CancellationToken ct)
    {
        CheckEntry(action, target);
        await using var connection = await db.OpenConnectionAsync(ct);
        await RecordAsync(connection, null, actor, action, target, detail, ct);
    }

    /// <summary>Records an action in the caller's transaction, so that the action and its entry commit together or not at all.</summary>
    public async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, StaffActor actor, string action, string target, object? detail, CancellationToken ct)
    {
        CheckEntry(action, target);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (at, actor, actor_role, action, target, detail) VALUES (@now, @Name, @role, @action, @target, @detail::jsonb)
            """, new
        {
            now = clock.GetUtcNow(),
            actor.Name,
            role = actor.Role.Name(),
            action,
            target,
            detail = detail is null ? null : JsonSerializer.Serialize(detail, BugHuntDatabase.Json),
        }, tx, cancellationToken: ct));
    }

    /// <summary>A malformed entry is a bug in its caller, refused before anything is written.</summary>
    public static void CheckEntry(string action, string target)
    {
        if (!ActionPattern().IsMatch(action))
        {
            throw new ArgumentException($"Audit action '{action}' is not of the form noun.verb in lowercase, such as pack.publish.", nameof(action));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
    }

    /// <summary>Newest first (in the order written), filtered by exact actor, action and target where given.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken ct) =>
        (await ListAsync(query, PageRequest.All, ct)).Items;

    /// <summary>A page of <see cref="ListAsync(AuditQuery, CancellationToken)"/>, keyed by the entries' ids.</summary>
    public async Task<Page<AuditEntry>> ListAsync(AuditQuery query, PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition("""
            SELECT id, at, actor, actor_role, action, target, detail::text AS detail FROM audit_log
            WHERE (@Actor::text IS NULL OR actor = @Actor)
              AND (@Action::text IS NULL OR action = @Action)
              AND (@Target::text IS NULL OR target = @Target)
              AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @take
            """, new { query.Actor, query.Action, query.Target, before = page.After is { } after ? long.Parse(after.Id, System.Globalization.CultureInfo.InvariantCulture) : (long?)null, take = page.Take }, cancellationToken: ct));
        return Page<AuditEntry>.From([.. rows.Select(r => new AuditEntry(r.Id, r.At, r.Actor, StaffRoles.Parse(r.ActorRole) ?? throw new InvalidOperationException($"audit_log holds an unknown role '{r.ActorRole}'"),
            r.Action, r.Target, r.Detail is null ? null : JsonSerializer.Deserialize<JsonElement>(r.Detail)))], page, e => Keyset.Of(e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private sealed class EntryRow
    {
        public long Id { get; init; }
        public DateTime At { get; init; }
        public string Actor { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string Action { get; init; } = "";
        public string Target { get; init; } = "";
        public string? Detail { get; init; }
    }
}
