using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Submissions;

public enum SubmissionStatus
{
    Queued,
    Running,
    Done,
}

public sealed record Submission(
    Guid Id,
    Guid SessionId,
    Guid ChallengeVersionId,
    string Kind,
    IReadOnlyDictionary<string, string> Files,
    SubmissionStatus Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    Verdict? Verdict);

/// <summary>A submission claimed by a grader, valid while its lease holds.</summary>
public sealed record ClaimedSubmission(Guid Id, Guid ChallengeVersionId, string Kind, IReadOnlyDictionary<string, string> Files, int Attempts);

/// <summary>The submissions table, which is also the grading queue.</summary>
public sealed class SubmissionStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const string QueueChannel = "bughunt_submissions";

    /// <summary>Stores a submission durably and wakes the graders; returns its id.</summary>
    public async Task<Guid> EnqueueAsync(Guid sessionId, Guid challengeVersionId, string kind, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO submissions (id, session_id, challenge_version_id, kind, files, status, created_at)
            VALUES (@id, @sessionId, @challengeVersionId, @kind, @files::jsonb, 'queued', @now)
            """, new { id, sessionId, challengeVersionId, kind, files = JsonSerializer.Serialize(files, BugHuntDatabase.Json), now }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition($"NOTIFY {QueueChannel}", transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// Claims the oldest queued submission, or one whose lease expired (its grader died), for
    /// <paramref name="owner"/>. SKIP LOCKED lets several graders claim concurrently without waiting
    /// on each other or taking the same row.
    /// </summary>
    public async Task<ClaimedSubmission?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, Guid ChallengeVersionId, string Kind, string Files, int Attempts)?>(new CommandDefinition("""
            UPDATE submissions s
            SET status = 'running', lease_owner = @owner, lease_expires_at = @expires,
                attempts = s.attempts + 1, started_at = coalesce(s.started_at, @now)
            WHERE s.id = (
                SELECT id FROM submissions
                WHERE status = 'queued' OR (status = 'running' AND lease_expires_at < @now)
                ORDER BY created_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING s.id, s.challenge_version_id, s.kind, s.files::text, s.attempts
            """, new { owner, now, expires = now + lease }, cancellationToken: ct));
        if (row is not { } r)
        {
            return null;
        }
        var files = JsonSerializer.Deserialize<Dictionary<string, string>>(r.Files, BugHuntDatabase.Json)!;
        return new ClaimedSubmission(r.Id, r.ChallengeVersionId, r.Kind, files, r.Attempts);
    }

    /// <summary>Extends a lease while grading goes on; false when the lease was lost to another grader.</summary>
    public async Task<bool> RenewLeaseAsync(Guid id, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE submissions SET lease_expires_at = @expires WHERE id = @id AND status = 'running' AND lease_owner = @owner
            """, new { id, owner, expires = clock.GetUtcNow() + lease }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Records the final verdict, only if <paramref name="owner"/> still holds the lease: the one
    /// final verdict per submission, even when a slow grader finishes after its lease was taken over.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid id, string owner, Verdict verdict, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE submissions
            SET status = 'done', verdict = @kind, score = @score, result = @result::jsonb, finished_at = @now,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = 'running' AND lease_owner = @owner
            """, new
        {
            id,
            owner,
            kind = verdict.Kind.ToString(),
            score = verdict.Score,
            result = JsonSerializer.Serialize(verdict, BugHuntDatabase.Json),
            now = clock.GetUtcNow(),
        }, cancellationToken: ct)) == 1;
    }

    /// <summary>A submission of one session; another session's id reads as missing.</summary>
    public async Task<Submission?> GetAsync(Guid id, Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SubmissionRow>(new CommandDefinition("""
            SELECT id, session_id, challenge_version_id, kind, files::text AS files, status, attempts, created_at, started_at, finished_at, result::text AS result
            FROM submissions WHERE id = @id AND session_id = @sessionId
            """, new { id, sessionId }, cancellationToken: ct));
        return row?.ToSubmission();
    }

    public async Task<int> CountForSessionAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM submissions WHERE session_id = @sessionId", new { sessionId }, cancellationToken: ct));
    }

    private sealed class SubmissionRow
    {
        public Guid Id { get; init; }
        public Guid SessionId { get; init; }
        public Guid ChallengeVersionId { get; init; }
        public string Kind { get; init; } = "";
        public string Files { get; init; } = "{}";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public string? Result { get; init; }

        public Submission ToSubmission() => new(
            Id, SessionId, ChallengeVersionId, Kind,
            JsonSerializer.Deserialize<Dictionary<string, string>>(Files, BugHuntDatabase.Json)!,
            Enum.Parse<SubmissionStatus>(Status, ignoreCase: true),
            Attempts, CreatedAt, StartedAt, FinishedAt,
            Result is null ? null : JsonSerializer.Deserialize<Verdict>(Result, BugHuntDatabase.Json));
    }
}
