using Dapper;
using Npgsql;

namespace BugHunt.Core.Webhooks;

/// <summary>A delivery claimed for one attempt: where to send what, signed with which secret.</summary>
/// <param name="Number">This attempt's number, 1 for the first.</param>
public sealed record ClaimedDelivery(Guid Id, Guid EventId, string Url, string Secret, string Payload, int Number);

/// <summary>What one attempt gave: a response status (2xx is delivered), or an error when there was no response.</summary>
/// <param name="RetryAfter">How long the receiver asked to be left alone (its Retry-After header), when it did.</param>
public sealed record AttemptOutcome(DateTime StartedAt, double DurationMs, int? StatusCode, string? Error, string? ResponseBody, TimeSpan? RetryAfter = null)
{
    public bool Delivered => StatusCode is >= 200 and < 300;
}

/// <summary>When a failed attempt is tried again: exponential backoff with jitter, up to a number of attempts.</summary>
public sealed record RetrySchedule(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>
    /// The delay after failed attempt <paramref name="number"/> (1-based), or null when it was the
    /// last: BaseDelay·2^(n−1), capped at MaxDelay, then scaled by <paramref name="jitter"/> in
    /// [0, 1) to 80..120 % so that receivers coming back are not hit by every retry at once.
    /// </summary>
    public TimeSpan? DelayAfter(int number, double jitter)
    {
        if (number >= MaxAttempts)
        {
            return null;
        }
        var exponential = BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(number - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(exponential, MaxDelay.TotalSeconds) * (0.8 + 0.4 * jitter));
    }

    /// <summary>
    /// As <see cref="DelayAfter(int, double)"/>, but never sooner than a receiver's Retry-After asked
    /// (a receiver that is overloaded or down for maintenance says when to come back), and never
    /// later than MaxDelay, whatever it asked. It adds no attempt: after the last there is no retry.
    /// </summary>
    public TimeSpan? DelayAfter(int number, double jitter, TimeSpan? retryAfter)
    {
        var delay = DelayAfter(number, jitter);
        if (delay is null || retryAfter is not { } asked)
        {
            return delay;
        }
        var capped = asked < MaxDelay ? asked : MaxDelay;
        return capped > delay ? capped : delay;
    }
}

/// <summary>
/// The dispatchers' side of the outbox. Several API processes may dispatch against one database:
/// a delivery is claimed with FOR UPDATE SKIP LOCKED and a lease, so each attempt is made by one of
/// them, and an attempt is recorded only by the holder of its lease, under its number.
/// </summary>
public sealed class WebhookQueue(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>Claims up to <paramref name="batch"/> due deliveries of enabled subscriptions, oldest due first; a delivery whose lease expired (its node died mid-attempt) is due again.</summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int batch, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition("""
            WITH claimed AS (
                UPDATE webhook_deliveries d SET lease_owner = @owner, lease_expires_at = @expires, attempts = d.attempts + 1
                WHERE d.id IN (
                    SELECT due.id FROM webhook_deliveries due JOIN webhook_subscriptions s ON s.id = due.subscription_id
                    WHERE due.status = 'pending' AND due.next_attempt_at <= @now
                      AND (due.lease_expires_at IS NULL OR due.lease_expires_at < @now) AND s.disabled_at IS NULL
                    ORDER BY due.next_attempt_at
                    LIMIT @batch
                    FOR UPDATE OF due SKIP LOCKED)
                RETURNING d.id, d.event_id, d.subscription_id, d.attempts)
            SELECT c.id, c.event_id, s.url, s.secret, e.payload, c.attempts AS number
            FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id JOIN webhook_events e ON e.id = c.event_id
            """, new { owner, now, expires = now + lease, batch }, cancellationToken: ct))];
    }

    /// <summary>
    /// Stores the attempt in the delivery log and moves the delivery on: delivered, retried later
    /// per <paramref name="schedule"/>, or failed. Nothing changes when the lease was lost (the
    /// attempt took longer than the lease and another node has claimed it since).
    /// </summary>
    /// <returns>Whether the outcome was recorded.</returns>
    public async Task<bool> RecordAsync(ClaimedDelivery delivery, string owner, AttemptOutcome outcome, RetrySchedule schedule, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var retryIn = outcome.Delivered ? null : schedule.DelayAfter(delivery.Number, Random.Shared.NextDouble(), outcome.RetryAfter);
        var status = outcome.Delivered ? "delivered" : retryIn is null ? "failed" : "pending";
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var held = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries d
            -- A subscription deleted during the attempt gets no retry.
            SET status = CASE WHEN @status = 'pending' AND s.disabled_at IS NOT NULL THEN 'failed' ELSE @status END,
                next_attempt_at = CASE WHEN s.disabled_at IS NULL THEN @next END, lease_owner = NULL, lease_expires_at = NULL,
                last_status = @StatusCode, last_error = @Error, delivered_at = CASE WHEN @delivered THEN @now ELSE d.delivered_at END
            FROM webhook_subscriptions s
            WHERE d.id = @Id AND d.lease_owner = @owner AND d.attempts = @Number AND s.id = d.subscription_id
            """, new
        {
            status,
            next = retryIn is { } delay ? now + delay : (DateTimeOffset?)null,
            outcome.StatusCode,
            outcome.Error,
            delivered = outcome.Delivered,
            now,
            delivery.Id,
            owner,
            delivery.Number,
        }, tx, cancellationToken: ct)) == 1;
        if (!held)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhook_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_body)
            VALUES (@Id, @Number, @StartedAt, @DurationMs, @StatusCode, @Error, @ResponseBody)
            """, new { delivery.Id, delivery.Number, outcome.StartedAt, outcome.DurationMs, outcome.StatusCode, outcome.Error, outcome.ResponseBody }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }
}
