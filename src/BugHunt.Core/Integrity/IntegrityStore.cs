using Dapper;
using Npgsql;

namespace BugHunt.Core.Integrity;

public sealed record IntegrityEvent(long Id, string Kind, DateTime At, int? Size, int? Level);

public sealed record SnapshotInfo(long Id, string Kind, DateTime At, string ContentType, int Bytes);

/// <summary>Integrity signals and proctoring snapshots of candidate sessions.</summary>
public sealed class IntegrityStore(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly IReadOnlySet<string> EventKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "tab_hidden", "tab_visible", "window_blur", "window_focus", "paste", "copy", "fullscreen_exit",
    };

    public static readonly IReadOnlySet<string> ImageTypes = new HashSet<string>(StringComparer.Ordinal) { "image/jpeg", "image/png", "image/webp" };

    public const int MaxSnapshotBytes = 512 * 1024;

    /// <summary>Records an event at server time; a session's events are capped so a page cannot flood the store.</summary>
    public async Task<bool> RecordAsync(Guid sessionId, string kind, int? size, int? level, int maxPerSession, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO integrity_events (session_id, kind, at, size, level)
            SELECT @sessionId, @kind, @now, @size, @level
            WHERE (SELECT count(*) FROM integrity_events WHERE session_id = @sessionId) < @maxPerSession
            """, new { sessionId, kind, now = clock.GetUtcNow(), size, level, maxPerSession }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<IntegrityEvent>> EventsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<IntegrityEvent>(new CommandDefinition(
            "SELECT id, kind, at, size, level FROM integrity_events WHERE session_id = @sessionId ORDER BY at, id", new { sessionId }, cancellationToken: ct))];
    }

    public async Task<long> SaveSnapshotAsync(Guid sessionId, string kind, string contentType, byte[] content, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO snapshots (session_id, kind, at, content_type, content) VALUES (@sessionId, @kind, @now, @contentType, @content) RETURNING id
            """, new { sessionId, kind, now = clock.GetUtcNow(), contentType, content }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<SnapshotInfo>(new CommandDefinition(
            "SELECT id, kind, at, content_type, octet_length(content) AS bytes FROM snapshots WHERE session_id = @sessionId ORDER BY at, id", new { sessionId }, cancellationToken: ct))];
    }

    public async Task<(string ContentType, byte[] Content)?> SnapshotAsync(Guid sessionId, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<(string, byte[])?>(new CommandDefinition(
            "SELECT content_type, content FROM snapshots WHERE session_id = @sessionId AND id = @id", new { sessionId, id }, cancellationToken: ct));
    }
}
