using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Webhooks;

/// <summary>The events a subscription can ask for. Their names are part of the webhook contract (docs/webhooks.md).</summary>
public static class WebhookEvents
{
    public const string SessionStarted = "session.started";
    public const string SubmissionGraded = "submission.graded";
    public const string SessionFinished = "session.finished";
    public const string SessionFlagged = "session.flagged";

    public static readonly IReadOnlyList<string> All = [SessionStarted, SubmissionGraded, SessionFinished, SessionFlagged];
}

/// <summary>Where a receiver finds more, relative to the BugHunt base URL, behind a staff key.</summary>
public sealed record WebhookLinks(string Report)
{
    public static WebhookLinks ForSession(Guid sessionId) => new($"/api/admin/sessions/{sessionId}/report");
}

// The data of each event. Staff-level facts only: ids, verdict kinds and scores, never test
// contents, seeds, messages or files (DESIGN.md: hidden means hidden; a receiver is outside BugHunt).

public sealed record SessionStartedData(Guid SessionId, Guid AssessmentId, string? Candidate, string? Email, DateTime StartedAt, DateTime Deadline, WebhookLinks Links);

/// <param name="Score">The verdict's score, 0..1 of the level.</param>
/// <param name="LevelPassed">Whether the level is passed now (by this submission or an earlier one).</param>
public sealed record SubmissionGradedData(
    Guid SubmissionId, Guid SessionId, Guid AssessmentId, string? Candidate, string? Email, int Level,
    VerdictKind Verdict, double Score, bool LevelPassed, DateTime GradedAt, WebhookLinks Links);

/// <param name="Reason">candidate (finished it) or time_over (the deadline passed).</param>
public sealed record SessionFinishedData(
    Guid SessionId, Guid AssessmentId, string? Candidate, string? Email, string Reason, DateTime? StartedAt, DateTime? Deadline, DateTime FinishedAt, WebhookLinks Links);

/// <param name="Flag">large_paste or long_absence.</param>
/// <param name="Detail">The flag as the report words it.</param>
public sealed record SessionFlaggedData(
    Guid SessionId, Guid AssessmentId, string? Candidate, string? Email, string Flag, string Detail, int? Level, DateTime At, WebhookLinks Links);

/// <summary>The body every delivery POSTs, as the Standard Webhooks specification shapes it.</summary>
public sealed record WebhookPayload(string Type, DateTime Timestamp, object Data);

/// <summary>
/// Writes events into the outbox, in the caller's transaction: the event exists if and only if the
/// change it reports commits. Fan-out happens here too: one delivery per matching subscription,
/// and nothing at all is stored when no subscription matches.
/// </summary>
public static class WebhookOutbox
{
    /// <param name="dedupeKey">Set for events that happen once per subject: a second write with the same key adds nothing.</param>
    /// <returns>How many deliveries were queued.</returns>
    public static async Task<int> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string type, Guid assessmentId, object data, string? dedupeKey, DateTimeOffset now, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(new WebhookPayload(type, now.UtcDateTime, data), BugHuntDatabase.Json);
        return await connection.ExecuteAsync(new CommandDefinition("""
            WITH targets AS (
                SELECT id FROM webhook_subscriptions
                WHERE disabled_at IS NULL AND @type = ANY (events) AND (assessment_id IS NULL OR assessment_id = @assessmentId)),
            event AS (
                INSERT INTO webhook_events (id, type, dedupe_key, payload, created_at)
                SELECT @id, @type, @dedupeKey, @payload, @now WHERE EXISTS (SELECT 1 FROM targets)
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id)
            INSERT INTO webhook_deliveries (id, event_id, subscription_id, status, next_attempt_at, created_at)
            SELECT gen_random_uuid(), event.id, targets.id, 'pending', @now, @now FROM event, targets
            """, new { id = Guid.CreateVersion7(now), type, assessmentId, dedupeKey, payload, now }, tx, cancellationToken: ct));
    }

    /// <summary>Whether any enabled subscription wants <paramref name="type"/> of this assessment: lets a caller skip work for an event nobody asked for.</summary>
    public static Task<bool> WantedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string type, Guid assessmentId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM webhook_subscriptions
                WHERE disabled_at IS NULL AND @type = ANY (events) AND (assessment_id IS NULL OR assessment_id = @assessmentId))
            """, new { type, assessmentId }, tx, cancellationToken: ct));

    /// <summary>The webhook-id of an event's deliveries: the same on every attempt and for every subscription, so receivers can deduplicate.</summary>
    public static string WebhookId(Guid eventId) => "msg_" + eventId.ToString("N");

    /// <summary>The dedupe key of a session's one session.finished event.</summary>
    public static string FinishedKey(Guid sessionId) => $"{WebhookEvents.SessionFinished}:{sessionId}";

    /// <summary>How a finish is reported: by the candidate before the deadline, otherwise as time over at the deadline.</summary>
    public static (string Reason, DateTime FinishedAt) Finish(DateTime? deadline, DateTime finishedAt) =>
        deadline is { } end && finishedAt >= end ? ("time_over", end) : ("candidate", finishedAt);
}
