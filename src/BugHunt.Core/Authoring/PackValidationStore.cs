using System.Text.Json;
using BugHunt.Core.Database;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Authoring;

public enum ValidationStatus
{
    Queued,
    Running,
    Done,
}

/// <summary>An uploaded pack's validation as staff see it; <see cref="Report"/> is the validator's report as JSON.</summary>
public sealed record PackValidation(
    Guid Id,
    string PackId,
    string PackTitle,
    bool Mutants,
    ValidationStatus Status,
    int Attempts,
    string UploadedBy,
    DateTime UploadedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    bool? Passed,
    JsonElement? Report,
    string? Error,
    string? PublishedBy,
    DateTime? PublishedAt,
    int FileCount);

public sealed record ValidationEvent(int Seq, DateTime At, string Message);

/// <summary>A validation claimed by a grader, valid while its lease holds.</summary>
public sealed record ClaimedValidation(Guid Id, string PackId, IReadOnlyDictionary<string, string> Files, bool Mutants, int Attempts);

public enum PublishRefusal
{
    None,
    NotFound,
    NotDone,
    Failed,
    AlreadyPublished,
}

/// <summary>
/// Uploaded packs waiting for, going through, or done with validation on a grader. The queue works
/// like the submissions' queue: a grader leases a validation and renews the lease while it runs, so
/// one whose grader died is taken up again by another (or the same one restarted).
/// </summary>
public sealed class PackValidationStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>A validation that failed this many attempts (its grader died each time) is given up with an error.</summary>
    public const int MaxAttempts = 3;

    public const string QueueChannel = "bughunt_pack_validations";

    private const string Columns = """
        id, pack_id, pack_title, mutants, status, attempts, uploaded_by, uploaded_at, started_at, finished_at, passed,
        report::text AS report, error, published_by, published_at, (SELECT count(*) FROM jsonb_object_keys(files))::int AS file_count
        """;

    public async Task<Guid> EnqueueAsync(string packId, string packTitle, IReadOnlyDictionary<string, string> files, bool mutants, string uploadedBy, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO pack_validations (id, pack_id, pack_title, files, mutants, status, uploaded_by, uploaded_at)
            VALUES (@id, @packId, @packTitle, @files::jsonb, @mutants, 'queued', @uploadedBy, @now);
            NOTIFY {QueueChannel};
            """, new { id, packId, packTitle, files = JsonSerializer.Serialize(files, BugHuntDatabase.Json), mutants, uploadedBy, now = clock.GetUtcNow() }, cancellationToken: ct));
        await AppendAsync(id, $"uploaded by {uploadedBy}: pack {packId}, {files.Count} files; waiting for a grader", ct);
        return id;
    }

    /// <summary>Claims the oldest queued validation, or one whose lease expired; one tried <see cref="MaxAttempts"/> times is closed with an error instead.</summary>
    public async Task<ClaimedValidation?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        var abandoned = await connection.QueryAsync<Guid>(new CommandDefinition("""
            UPDATE pack_validations SET status = 'done', passed = false, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL,
                error = 'validation was interrupted ' || attempts || ' times (its grader stopped each time); upload the pack again'
            WHERE status = 'running' AND lease_expires_at < @now AND attempts >= @max
            RETURNING id
            """, new { now, max = MaxAttempts }, cancellationToken: ct));
        foreach (var id in abandoned)
        {
            await AppendAsync(id, "given up: its grader stopped during every attempt", ct);
        }
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, string PackId, string Files, bool Mutants, int Attempts)?>(new CommandDefinition("""
            UPDATE pack_validations v
            SET status = 'running', lease_owner = @owner, lease_expires_at = @expires, attempts = v.attempts + 1, started_at = coalesce(v.started_at, @now)
            WHERE v.id = (
                SELECT id FROM pack_validations
                WHERE status = 'queued' OR (status = 'running' AND lease_expires_at < @now)
                ORDER BY uploaded_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING v.id, v.pack_id, v.files::text, v.mutants, v.attempts
            """, new { owner, now, expires = now + lease }, cancellationToken: ct));
        if (row is not { } r)
        {
            return null;
        }
        await AppendAsync(r.Id, r.Attempts == 1 ? $"grader {owner} started validating" : $"grader {owner} started again (attempt {r.Attempts}: the last grader stopped)", ct);
        return new ClaimedValidation(r.Id, r.PackId, JsonSerializer.Deserialize<Dictionary<string, string>>(r.Files, BugHuntDatabase.Json)!, r.Mutants, r.Attempts);
    }

    public async Task<bool> RenewLeaseAsync(Guid id, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pack_validations SET lease_expires_at = @expires WHERE id = @id AND status = 'running' AND lease_owner = @owner
            """, new { id, owner, expires = clock.GetUtcNow() + lease }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Records the outcome, only while <paramref name="owner"/> holds the lease, and its closing progress
    /// line in the same statement: a page that sees the validation done has the line too.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid id, string owner, bool passed, object? report, string? error, CancellationToken ct)
    {
        var message = error is not null ? $"could not validate: {error}" : passed ? "done: the pack passed validation and can be published" : "done: the pack failed validation (see the report)";
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            WITH done AS (
                UPDATE pack_validations SET status = 'done', passed = @passed, report = @report::jsonb, error = @error, finished_at = @now,
                    lease_owner = NULL, lease_expires_at = NULL
                WHERE id = @id AND status = 'running' AND lease_owner = @owner
                RETURNING id)
            INSERT INTO pack_validation_events (validation_id, seq, at, message)
            SELECT done.id, coalesce((SELECT max(seq) FROM pack_validation_events WHERE validation_id = @id), 0) + 1, @now, @message FROM done
            """, new { id, owner, passed, report = report is null ? null : JsonSerializer.Serialize(report, BugHuntDatabase.Json), error, now = clock.GetUtcNow(),
                message = message.Length > 2000 ? message[..2000] : message }, cancellationToken: ct)) == 1;
    }

    /// <summary>Adds a progress line; lines are numbered in order per validation.</summary>
    public async Task AppendAsync(Guid id, string message, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO pack_validation_events (validation_id, seq, at, message)
            SELECT @id, coalesce(max(seq), 0) + 1, @now, @message FROM pack_validation_events WHERE validation_id = @id
            """, new { id, now = clock.GetUtcNow(), message = message.Length > 2000 ? message[..2000] : message }, cancellationToken: ct));
    }

    public async Task<PackValidation?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM pack_validations WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToValidation();
    }

    /// <summary>A page of validations (of one pack, or all), newest first.</summary>
    public async Task<Page<PackValidation>> ListAsync(string? packId, PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM pack_validations
            WHERE (@packId::text IS NULL OR pack_id = @packId)
              AND (@afterAt::timestamptz IS NULL OR (uploaded_at, id) < (@afterAt::timestamptz, @afterId::uuid))
            ORDER BY uploaded_at DESC, id DESC LIMIT @take
            """, new { packId, afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct));
        return Page<PackValidation>.From([.. rows.Select(r => r.ToValidation())], page, v => Keyset.Of(v.UploadedAt, v.Id));
    }

    public async Task<IReadOnlyList<ValidationEvent>> EventsAsync(Guid id, int afterSeq, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ValidationEvent>(new CommandDefinition("""
            SELECT seq, at, message FROM pack_validation_events WHERE validation_id = @id AND seq > @afterSeq ORDER BY seq
            """, new { id, afterSeq }, cancellationToken: ct));
        return [.. rows];
    }

    /// <summary>The uploaded files of a validation, for publishing it.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> FilesAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT files::text FROM pack_validations WHERE id = @id", new { id }, cancellationToken: ct));
        return json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json, BugHuntDatabase.Json);
    }

    /// <summary>Why a validation cannot be published now, or None.</summary>
    public static PublishRefusal CanPublish(PackValidation? validation) => validation switch
    {
        null => PublishRefusal.NotFound,
        { PublishedAt: not null } => PublishRefusal.AlreadyPublished,
        { Status: not ValidationStatus.Done } => PublishRefusal.NotDone,
        { Passed: not true } => PublishRefusal.Failed,
        _ => PublishRefusal.None,
    };

    /// <summary>Marks a validation published, once: false when it already was (a concurrent publish won).</summary>
    public async Task<bool> MarkPublishedAsync(Guid id, string publishedBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pack_validations SET published_by = @publishedBy, published_at = @now WHERE id = @id AND published_at IS NULL AND passed
            """, new { id, publishedBy, now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string PackId { get; init; } = "";
        public string PackTitle { get; init; } = "";
        public bool Mutants { get; init; }
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public string UploadedBy { get; init; } = "";
        public DateTime UploadedAt { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public bool? Passed { get; init; }
        public string? Report { get; init; }
        public string? Error { get; init; }
        public string? PublishedBy { get; init; }
        public DateTime? PublishedAt { get; init; }
        public int FileCount { get; init; }

        public PackValidation ToValidation() => new(
            Id, PackId, PackTitle, Mutants, Enum.Parse<ValidationStatus>(Status, ignoreCase: true), Attempts, UploadedBy, UploadedAt, StartedAt, FinishedAt,
            Passed, Report is null ? null : JsonDocument.Parse(Report).RootElement.Clone(), Error, PublishedBy, PublishedAt, FileCount);
    }
}
