using BugHunt.Core.Integrity;
using BugHunt.Core.Sessions;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Webhooks;

/// <summary>
/// A session ends when its deadline passes, and nothing in BugHunt runs at that moment: the
/// deadline is a rule read on each request (<see cref="Session.StatusAt"/>). So session.finished
/// for a deadline comes from this sweep, which the webhook dispatcher runs every few seconds: it
/// reports the sessions whose deadline passed since the last sweep, unfinished, and moves its mark.
/// Exactly once: one node sweeps at a time (the mark's row is locked, others skip it), each
/// deadline falls into one window, and the event's key refuses a second session.finished when
/// the candidate's own late finish already wrote one.
/// </summary>
public sealed class WebhookSweep(NpgsqlDataSource db, TimeProvider clock)
{
    /// <returns>How many sessions' finish was reported to a subscription; null when another node is sweeping.</returns>
    public async Task<int?> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var from = await connection.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            "SELECT swept_until FROM webhook_sweep WHERE id = 1 FOR UPDATE SKIP LOCKED", transaction: tx, cancellationToken: ct));
        if (from is null)
        {
            return null;
        }
        // Deadlines in (mark, now]. A clock that went back (another node's, or a restarted test's)
        // leaves an empty window and moves the mark back with it, so later deadlines are still swept;
        // a session reported before is not reported twice, the event's key refuses it.
        var expired = await connection.QueryAsync<Session>(new CommandDefinition($"""
            SELECT {SessionStore.SessionColumns} FROM sessions
            WHERE finished_at IS NULL AND deadline > @from AND deadline <= @now AND assessment_id IS NOT NULL
            ORDER BY deadline
            """, new { from, now }, tx, cancellationToken: ct));
        var reported = 0;
        foreach (var session in expired)
        {
            reported += await WriteFinishedAsync(connection, tx, session, now, ct) > 0 ? 1 : 0;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_sweep SET swept_until = @now WHERE id = 1", new { now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return reported;
    }

    /// <summary>
    /// Writes a session's one session.finished event: finished by the candidate, or by its deadline
    /// when that came first. With it, once, a session.flagged for an absence from the page still
    /// open at the end: no return event will ever raise that one.
    /// </summary>
    public static async Task<int> WriteFinishedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Session session, DateTimeOffset now, CancellationToken ct)
    {
        var (reason, at) = WebhookOutbox.Finish(session.Deadline, session.FinishedAt ?? now.UtcDateTime);
        if (await WebhookOutbox.WantedAsync(connection, tx, WebhookEvents.SessionFlagged, session.AssessmentId, ct)
            && IntegrityFlags.OpenAbsenceAt(await IntegrityStore.EventsAsync(connection, tx, session.Id, ct), at) is { } absence)
        {
            await WebhookOutbox.WriteAsync(connection, tx, WebhookEvents.SessionFlagged, session.AssessmentId,
                new SessionFlaggedData(session.Id, session.AssessmentId, session.Candidate, session.Email, absence.Kind, absence.Detail, null, at, WebhookLinks.ForSession(session.Id)),
                $"{WebhookEvents.SessionFlagged}:{session.Id}:open-at-end", now, ct);
        }
        return await WebhookOutbox.WriteAsync(connection, tx, WebhookEvents.SessionFinished, session.AssessmentId,
            new SessionFinishedData(session.Id, session.AssessmentId, session.Candidate, session.Email, reason, session.StartedAt, session.Deadline, at, WebhookLinks.ForSession(session.Id)),
            WebhookOutbox.FinishedKey(session.Id), now, ct);
    }
}
