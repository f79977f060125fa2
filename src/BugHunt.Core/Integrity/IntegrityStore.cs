using BugHunt.Core.Webhooks;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Integrity;

public sealed record IntegrityEvent(long Id, string Kind, DateTime At, int? Size, int? Level);

public sealed record SnapshotInfo(long Id, string Kind, DateTime At, string ContentType, int Bytes);

/// <summary>
/// What one session may upload. The page takes a snapshot of each kind about every minute; these
/// caps keep a page (or a script with the session token) from filling the database.
/// </summary>
public sealed record SnapshotLimits(int MaxPerSession = 400, long MaxBytesPerSession = 100 * 1024 * 1024)
{
    /// <summary>At most one snapshot of a kind per this interval.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(10);
}

public enum SnapshotOutcome
{
    Stored,
    TooMany,
    StorageFull,
    TooSoon,
}

public sealed record SnapshotSaved(SnapshotOutcome Outcome, long? Id, TimeSpan? RetryAfter);

/// <summary>Integrity signals and proctoring snapshots of candidate sessions.</summary>
public sealed class IntegrityStore(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly IReadOnlySet<string> EventKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "tab_hidden", "tab_visible", "window_blur", "window_focus", "paste", "copy", "fullscreen_exit",
    };

    public const int MaxSnapshotBytes = 512 * 1024;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    /// <summary>
    /// The image type the content's magic bytes name: PNG, JPEG or WebP, otherwise null. Snapshots are
    /// stored and served with this type, never the client's Content-Type, so an HTML page sent as
    /// image/png is refused instead of being served back to the proctor's browser.
    /// </summary>
    public static string? ImageType(ReadOnlySpan<byte> content) =>
        content.StartsWith(PngSignature) ? "image/png"
        : content.StartsWith(JpegSignature) ? "image/jpeg"
        : content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    /// <summary>
    /// Records an event at server time; a session's events are capped so a page cannot flood the
    /// store. An event that raises a flag (<see cref="IntegrityFlags"/>) is reported to webhooks
    /// as session.flagged in the same transaction.
    /// </summary>
    public async Task<bool> RecordAsync(Guid sessionId, string kind, int? size, int? level, int maxPerSession, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO integrity_events (session_id, kind, at, size, level)
            SELECT @sessionId, @kind, @now, @size, @level
            WHERE (SELECT count(*) FROM integrity_events WHERE session_id = @sessionId) < @maxPerSession
            RETURNING id
            """, new { sessionId, kind, now, size, level, maxPerSession }, tx, cancellationToken: ct));
        if (id is null)
        {
            return false;
        }
        if (IntegrityFlags.MayRaise(kind, size))
        {
            await ReportFlagAsync(connection, tx, sessionId, id.Value, level, now, ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Writes session.flagged for each flag the event just stored raised: the session's flags with
    /// it that are not among those without it. The history is read only when a subscription wants the event.
    /// </summary>
    private static async Task ReportFlagAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid sessionId, long eventId, int? level, DateTimeOffset now, CancellationToken ct)
    {
        // The session row is locked so that two events recorded at once are judged one after the
        // other, each seeing the other's: a flag is then raised once, by the event that completes it.
        var session = await connection.QuerySingleAsync<(Guid AssessmentId, string? Candidate, string? Email)>(new CommandDefinition(
            "SELECT assessment_id, candidate, email FROM sessions WHERE id = @sessionId FOR UPDATE", new { sessionId }, tx, cancellationToken: ct));
        if (!await WebhookOutbox.WantedAsync(connection, tx, WebhookEvents.SessionFlagged, session.AssessmentId, ct))
        {
            return;
        }
        var events = await EventsAsync(connection, tx, sessionId, ct);
        var before = IntegrityFlags.Raised(events.Where(e => e.Id != eventId).ToList());
        var after = IntegrityFlags.Raised(events);
        foreach (var flag in after.Except(before))
        {
            await WebhookOutbox.WriteAsync(connection, tx, WebhookEvents.SessionFlagged, session.AssessmentId,
                new SessionFlaggedData(sessionId, session.AssessmentId, session.Candidate, session.Email, flag.Kind, flag.Detail, level, now.UtcDateTime, WebhookLinks.ForSession(sessionId)),
                $"{WebhookEvents.SessionFlagged}:{sessionId}:{eventId}", now, ct);
        }
    }

    public async Task<IReadOnlyList<IntegrityEvent>> EventsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await EventsAsync(connection, null, sessionId, ct);
    }

    /// <summary>A session's integrity events in the order they happened, read in the caller's transaction.</summary>
    public static async Task<List<IntegrityEvent>> EventsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid sessionId, CancellationToken ct) =>
        [.. await connection.QueryAsync<IntegrityEvent>(new CommandDefinition(
            "SELECT id, kind, at, size, level FROM integrity_events WHERE session_id = @sessionId ORDER BY at, id", new { sessionId }, tx, cancellationToken: ct))];

    /// <summary>
    /// Stores a snapshot unless the session's caps are reached or its last one of that kind is too
    /// recent. The session row is locked for the decision, so concurrent uploads cannot pass a cap together.
    /// </summary>
    public async Task<SnapshotSaved> SaveSnapshotAsync(Guid sessionId, string kind, string contentType, byte[] content, SnapshotLimits limits, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM sessions WHERE id = @sessionId FOR UPDATE", new { sessionId }, tx, cancellationToken: ct));
        var (count, bytes, lastOfKind) = await connection.QuerySingleAsync<(long, long, DateTime?)>(new CommandDefinition("""
            SELECT count(*), coalesce(sum(octet_length(content)), 0)::bigint, max(at) FILTER (WHERE kind = @kind)
            FROM snapshots WHERE session_id = @sessionId
            """, new { sessionId, kind }, tx, cancellationToken: ct));
        if (count >= limits.MaxPerSession)
        {
            return new SnapshotSaved(SnapshotOutcome.TooMany, null, null);
        }
        if (bytes + content.Length > limits.MaxBytesPerSession)
        {
            return new SnapshotSaved(SnapshotOutcome.StorageFull, null, null);
        }
        if (lastOfKind is { } last && now.UtcDateTime - last < limits.MinInterval)
        {
            return new SnapshotSaved(SnapshotOutcome.TooSoon, null, last + limits.MinInterval - now.UtcDateTime);
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO snapshots (session_id, kind, at, content_type, content) VALUES (@sessionId, @kind, @now, @contentType, @content) RETURNING id
            """, new { sessionId, kind, now, contentType, content }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SnapshotSaved(SnapshotOutcome.Stored, id, null);
    }

    /// <summary>
    /// Deletes the snapshots taken before <paramref name="cutoff"/> (the retention setting), a
    /// thousand rows per statement so that a large backlog holds no long transaction; returns how many.
    /// </summary>
    public async Task<long> DeleteSnapshotsBeforeAsync(DateTime cutoff, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        long total = 0;
        while (true)
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM snapshots WHERE id IN (SELECT id FROM snapshots WHERE at < @cutoff LIMIT 1000)
                """, new { cutoff }, cancellationToken: ct));
            total += deleted;
            if (deleted == 0)
            {
                return total;
            }
        }
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
