using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Sessions;
using BugHunt.Core.Webhooks;
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
    int? LevelPosition,
    string Kind,
    IReadOnlyDictionary<string, string> Files,
    SubmissionStatus Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    Verdict? Verdict);

public sealed record NewSubmission(Guid SessionId, int LevelPosition, Guid ChallengeVersionId, string Kind, IReadOnlyDictionary<string, string> Files, string? IdempotencyKey);

/// <summary>What a session may do: one submission in flight, a few per minute, only inside its window.</summary>
public sealed record SubmissionRules(int MaxRunning = 1, int MaxPerMinute = 6, bool EnforceWindow = true)
{
    public TimeSpan BusyRetryAfter { get; init; } = TimeSpan.FromSeconds(5);
}

public enum EnqueueOutcome
{
    Accepted,
    Repeated,
    TimeOver,
    Busy,
    RateLimited,
    KeyReused,
}

/// <param name="Conflict">For <see cref="EnqueueOutcome.KeyReused"/>: how this request differs from the key's first one.</param>
public sealed record EnqueueResult(EnqueueOutcome Outcome, Guid? Id, TimeSpan? RetryAfter, string? Conflict = null);

/// <summary>A submission claimed by a grader, valid while its lease holds.</summary>
public sealed record ClaimedSubmission(Guid Id, Guid ChallengeVersionId, string Kind, IReadOnlyDictionary<string, string> Files, int Attempts);

/// <summary>The submissions table, which is also the grading queue.</summary>
public sealed class SubmissionStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const string QueueChannel = "bughunt_submissions";

    /// <summary>Where a submission's changes of state are announced (payload: its id), for the candidate's stream.</summary>
    public const string ChangedChannel = "bughunt_submission_changed";

    private const string AnnounceChange = $"SELECT pg_notify('{ChangedChannel}', @id::text)";

    /// <summary>
    /// What an idempotency key stands for: level, kind and files, with the files as canonical jsonb
    /// text. migrations/0005_idempotency_request.sql hashed the keys stored before it the same way.
    /// </summary>
    private const string RequestHash = "sha256(convert_to(@LevelPosition::text || ' ' || @Kind || ' ' || @files::jsonb::text, 'UTF8'))";

    /// <summary>
    /// Stores a submission durably and wakes the graders, if the session's rules allow it. The
    /// session row is locked for the decision, so two concurrent requests cannot both pass the
    /// one-at-a-time and per-minute rules, and a retried request with the same idempotency key
    /// gets the submission the first one created. The same key with another request (other files,
    /// level or kind) is refused and stores nothing: answering with the first submission would
    /// tell the candidate their new code was accepted.
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(NewSubmission submission, SubmissionRules rules, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var files = JsonSerializer.Serialize(submission.Files, BugHuntDatabase.Json);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var deadline = await connection.QuerySingleOrDefaultAsync<(DateTime? Deadline, DateTime? FinishedAt)>(new CommandDefinition(
            "SELECT deadline, finished_at FROM sessions WHERE id = @SessionId FOR UPDATE", submission, tx, cancellationToken: ct));
        if (submission.IdempotencyKey is not null)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<(Guid Id, int? LevelPosition, string Kind, bool Same)?>(new CommandDefinition($"""
                SELECT id, level_position, kind, coalesce(request_hash = {RequestHash}, false) AS same
                FROM submissions WHERE session_id = @SessionId AND idempotency_key = @IdempotencyKey
                """, new { submission.SessionId, submission.IdempotencyKey, submission.LevelPosition, submission.Kind, files }, tx, cancellationToken: ct));
            if (existing is { Same: true } first)
            {
                return new EnqueueResult(EnqueueOutcome.Repeated, first.Id, null);
            }
            if (existing is { } other)
            {
                var conflict = string.Join(", ", new[]
                {
                    other.LevelPosition != submission.LevelPosition ? $"other level (it was used on level {other.LevelPosition})" : null,
                    other.Kind != submission.Kind ? $"run vs submission (it was used for a {(other.Kind == "run" ? "run" : "submission")})" : null,
                }.OfType<string>());
                return new EnqueueResult(EnqueueOutcome.KeyReused, other.Id, null, conflict.Length > 0 ? conflict : "other files");
            }
        }
        if (rules.EnforceWindow && !Session.AcceptsWorkAt(deadline.Deadline, deadline.FinishedAt, now))
        {
            return new EnqueueResult(EnqueueOutcome.TimeOver, null, null);
        }
        var running = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM submissions WHERE session_id = @SessionId AND status <> 'done' AND kind <> 'rejudge'", submission, tx, cancellationToken: ct));
        if (running >= rules.MaxRunning)
        {
            return new EnqueueResult(EnqueueOutcome.Busy, null, rules.BusyRetryAfter);
        }
        var windowStart = now - TimeSpan.FromMinutes(1);
        var recent = (await connection.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT created_at FROM submissions WHERE session_id = @SessionId AND created_at > @windowStart AND kind <> 'rejudge' ORDER BY created_at",
            new { submission.SessionId, windowStart }, tx, cancellationToken: ct))).ToList();
        if (recent.Count >= rules.MaxPerMinute)
        {
            var retry = recent[0] + TimeSpan.FromMinutes(1) - now.UtcDateTime;
            return new EnqueueResult(EnqueueOutcome.RateLimited, null, retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
        }
        var newId = Guid.CreateVersion7(now);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO submissions (id, session_id, challenge_version_id, level_position, kind, files, status, created_at, idempotency_key, request_hash)
            VALUES (@newId, @SessionId, @ChallengeVersionId, @LevelPosition, @Kind, @files::jsonb, 'queued', @now, @IdempotencyKey,
                    CASE WHEN @IdempotencyKey::text IS NULL THEN NULL ELSE {RequestHash} END)
            """, new { newId, submission.SessionId, submission.ChallengeVersionId, submission.LevelPosition, submission.Kind, files, now, submission.IdempotencyKey }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE session_levels SET files = coalesce(files, '{}'::jsonb) || @files::jsonb,
                attempts = attempts + CASE WHEN @Kind = 'submit' THEN 1 ELSE 0 END
            WHERE session_id = @SessionId AND position = @LevelPosition
            """, new { files, submission.Kind, submission.SessionId, submission.LevelPosition }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition($"NOTIFY {QueueChannel}", transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new EnqueueResult(EnqueueOutcome.Accepted, newId, null);
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
                -- Candidates' work first: a rejudge an author started waits for it.
                ORDER BY kind = 'rejudge', created_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING s.id, s.challenge_version_id, s.kind, s.files::text, s.attempts
            """, new { owner, now, expires = now + lease }, cancellationToken: ct));
        if (row is not { } r)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition(AnnounceChange, new { id = r.Id }, cancellationToken: ct));
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
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var done = await connection.QuerySingleOrDefaultAsync<(Guid SessionId, int? LevelPosition, string Kind, Guid? AssessmentId, string? Candidate, string? Email)?>(new CommandDefinition("""
            UPDATE submissions
            SET status = 'done', verdict = @kind, score = @score, result = @result::jsonb, finished_at = @now,
                lease_owner = NULL, lease_expires_at = NULL
            FROM sessions s
            WHERE submissions.id = @id AND submissions.status = 'running' AND submissions.lease_owner = @owner AND s.id = submissions.session_id
            RETURNING submissions.session_id, submissions.level_position, submissions.kind, s.assessment_id, s.candidate, s.email
            """, new
        {
            id,
            owner,
            kind = VerdictKinds.Name(verdict.Kind),
            score = verdict.Score,
            result = JsonSerializer.Serialize(verdict, BugHuntDatabase.Json),
            now,
        }, tx, cancellationToken: ct));
        if (done is not { } d)
        {
            return false;
        }
        if (d.Kind == "submit" && d.LevelPosition is { } position)
        {
            // Scored submissions raise the level's best score; one that meets the level's pass
            // rule passes it and unlocks the next level, in this same transaction.
            var passed = await connection.QuerySingleOrDefaultAsync<bool>(new CommandDefinition("""
                UPDATE session_levels sl
                SET best_score = greatest(sl.best_score, @score),
                    state = CASE WHEN @score >= al.pass_threshold - 1e-9 THEN 'passed' ELSE sl.state END,
                    passed_at = CASE WHEN @score >= al.pass_threshold - 1e-9 THEN coalesce(sl.passed_at, @now) ELSE sl.passed_at END
                FROM sessions s JOIN assessment_levels al ON al.assessment_id = s.assessment_id
                WHERE sl.session_id = @SessionId AND sl.position = @position AND s.id = sl.session_id AND al.position = sl.position
                RETURNING sl.state = 'passed'
                """, new { score = verdict.Score, now, d.SessionId, position }, tx, cancellationToken: ct));
            if (passed)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE session_levels SET state = 'unlocked', unlocked_at = @now
                    WHERE session_id = @SessionId AND position = @next AND state = 'locked'
                    """, new { d.SessionId, next = position + 1, now }, tx, cancellationToken: ct));
            }
            if (d.AssessmentId is { } assessmentId)
            {
                await WebhookOutbox.WriteAsync(connection, tx, WebhookEvents.SubmissionGraded, assessmentId,
                    new SubmissionGradedData(id, d.SessionId, assessmentId, d.Candidate, d.Email, position, verdict.Kind, verdict.Score, passed, now.UtcDateTime,
                        WebhookLinks.ForSession(d.SessionId)),
                    $"{WebhookEvents.SubmissionGraded}:{id}", now, ct);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(AnnounceChange, new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Puts a claimed submission back in the queue after an infrastructure failure, so another
    /// attempt (on any grader) starts now instead of after the lease expires.
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid id, string owner, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var released = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE submissions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = 'running' AND lease_owner = @owner
            """, new { id, owner }, tx, cancellationToken: ct)) == 1;
        await connection.ExecuteAsync(new CommandDefinition($"NOTIFY {QueueChannel}", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(AnnounceChange, new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return released;
    }

    /// <summary>A submission of one session; another session's id reads as missing.</summary>
    public async Task<Submission?> GetAsync(Guid id, Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SubmissionRow>(new CommandDefinition($"""
            SELECT {Columns} FROM submissions WHERE id = @id AND session_id = @sessionId AND kind <> 'rejudge'
            """, new { id, sessionId }, cancellationToken: ct));
        return row?.ToSubmission();
    }

    /// <summary>A session's runs and submissions, oldest first.</summary>
    public async Task<IReadOnlyList<Submission>> ListForSessionAsync(Guid sessionId, CancellationToken ct) =>
        (await ListForSessionAsync(sessionId, PageRequest.All, ct)).Items;

    /// <summary>A page of a session's runs and submissions, oldest first.</summary>
    public async Task<Page<Submission>> ListForSessionAsync(Guid sessionId, PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SubmissionRow>(new CommandDefinition($"""
            SELECT {Columns} FROM submissions
            WHERE session_id = @sessionId AND kind <> 'rejudge'
              AND (@afterAt::timestamptz IS NULL OR (created_at, id) > (@afterAt::timestamptz, @afterId::uuid))
            ORDER BY created_at, id LIMIT @take
            """, new { sessionId, afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct));
        return Page<Submission>.From([.. rows.Select(r => r.ToSubmission())], page, s => Keyset.Of(s.CreatedAt, s.Id));
    }

    /// <summary>Submissions waiting before this one in the queue (0 when it is being graded or done).</summary>
    public async Task<int> QueuePositionAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT count(*) FROM submissions q, submissions s
            WHERE s.id = @id AND s.status = 'queued' AND q.status = 'queued' AND q.kind <> 'rejudge' AND q.created_at < s.created_at
            """, new { id }, cancellationToken: ct));
    }

    public async Task<int> CountForSessionAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM submissions WHERE session_id = @sessionId AND kind <> 'rejudge'", new { sessionId }, cancellationToken: ct));
    }

    private const string Columns = "id, session_id, challenge_version_id, level_position, kind, files::text AS files, status, attempts, created_at, started_at, finished_at, result::text AS result";

    private sealed class SubmissionRow
    {
        public int? LevelPosition { get; init; }
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
            Id, SessionId, ChallengeVersionId, LevelPosition, Kind,
            JsonSerializer.Deserialize<Dictionary<string, string>>(Files, BugHuntDatabase.Json)!,
            Enum.Parse<SubmissionStatus>(Status, ignoreCase: true),
            Attempts, CreatedAt, StartedAt, FinishedAt,
            Result is null ? null : JsonSerializer.Deserialize<Verdict>(Result, BugHuntDatabase.Json));
    }
}
