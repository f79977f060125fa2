using BugHunt.Core.Database;
using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Webhooks;

/// <summary>A subscription as staff see it; its secret is shown once, when created or rotated.</summary>
public sealed record WebhookSubscription(
    Guid Id, string Url, IReadOnlyList<string> Events, Guid? AssessmentId, string? Description, string CreatedBy, DateTime CreatedAt, DateTime? DisabledAt);

public sealed record NewWebhookSubscription(string Url, IReadOnlyList<string> Events, Guid? AssessmentId, string? Description, string CreatedBy);

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One event's delivery to one subscription, with the outcome of its latest attempt.</summary>
/// <param name="WebhookId">The webhook-id header of every attempt: receivers deduplicate by it.</param>
public sealed record WebhookDelivery(
    Guid Id, Guid SubscriptionId, Guid EventId, string WebhookId, string EventType, DeliveryStatus Status, int Attempts,
    int? LastStatus, string? LastError, DateTime? NextAttemptAt, DateTime CreatedAt, DateTime? DeliveredAt);

/// <param name="StatusCode">The receiver's HTTP status; null when there was no response (refused, timed out).</param>
public sealed record WebhookAttempt(int Number, DateTime StartedAt, double DurationMs, int? StatusCode, string? Error, string? ResponseBody);

public enum RedeliverOutcome
{
    Queued,
    NotFound,
    Disabled,
    InFlight,
}

/// <summary>Webhook subscriptions and their delivery log, as the staff API reads and changes them.</summary>
public sealed class WebhookStore(NpgsqlDataSource db, TimeProvider clock)
{
    private const string SubscriptionColumns = "id, url, events, assessment_id, description, created_by, created_at, disabled_at";

    private const string DeliveryColumns = """
        d.id, d.subscription_id, d.event_id, e.type AS event_type, d.status,
        d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.created_at, d.delivered_at
        """;

    /// <summary>A new signing key: "whsec_" and 32 random bytes in base64, as Standard Webhooks libraries read it.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <returns>The subscription and its secret.</returns>
    public async Task<(WebhookSubscription Subscription, string Secret)> CreateAsync(NewWebhookSubscription request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var secret = NewSecret();
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<SubscriptionRow>(new CommandDefinition($"""
            INSERT INTO webhook_subscriptions (id, url, events, assessment_id, description, secret, created_by, created_at)
            VALUES (@id, @Url, @events, @AssessmentId, @Description, @secret, @CreatedBy, @now)
            RETURNING {SubscriptionColumns}
            """, new { id = Guid.CreateVersion7(now), request.Url, events = request.Events.ToArray(), request.AssessmentId, request.Description, secret, request.CreatedBy, now },
            cancellationToken: ct));
        return (row.ToSubscription(), secret);
    }

    public async Task<WebhookSubscription?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {SubscriptionColumns} FROM webhook_subscriptions WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToSubscription();
    }

    /// <summary>Subscriptions, newest first, disabled ones included (they say so).</summary>
    public async Task<Page<WebhookSubscription>> ListAsync(PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<SubscriptionRow>(new CommandDefinition($"""
            SELECT {SubscriptionColumns} FROM webhook_subscriptions
            WHERE @afterAt::timestamptz IS NULL OR (created_at, id) < (@afterAt, @afterId)
            ORDER BY created_at DESC, id DESC LIMIT @take
            """, new { afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct))).ToList();
        return Page<SubscriptionRow>.From(rows, page, r => Keyset.Of(r.CreatedAt, r.Id)).Select(r => r.ToSubscription());
    }

    /// <summary>Disables a subscription: no new events are queued for it and its pending deliveries are not attempted again.</summary>
    /// <returns>Null when there is no such subscription; otherwise it, disabled (now or before).</returns>
    public async Task<WebhookSubscription?> DisableAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition($"""
            UPDATE webhook_subscriptions SET disabled_at = coalesce(disabled_at, @now) WHERE id = @id RETURNING {SubscriptionColumns}
            """, new { id, now }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = 'subscription deleted'
            WHERE subscription_id = @id AND status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at < @now)
            """, new { id, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return row?.ToSubscription();
    }

    /// <summary>Gives an enabled subscription a new secret, which signs every attempt from now on (pending retries too).</summary>
    /// <returns>The new secret, or null when the subscription is missing or disabled.</returns>
    public async Task<string?> RotateSecretAsync(Guid id, CancellationToken ct)
    {
        var secret = NewSecret();
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_subscriptions SET secret = @secret WHERE id = @id AND disabled_at IS NULL", new { id, secret }, cancellationToken: ct)) == 1 ? secret : null;
    }

    /// <summary>A subscription's deliveries, newest first.</summary>
    public async Task<Page<WebhookDelivery>> DeliveriesAsync(Guid subscriptionId, PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition($"""
            SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.subscription_id = @subscriptionId AND (@afterAt::timestamptz IS NULL OR (d.created_at, d.id) < (@afterAt, @afterId))
            ORDER BY d.created_at DESC, d.id DESC LIMIT @take
            """, new { subscriptionId, afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct))).ToList();
        return Page<DeliveryRow>.From(rows, page, r => Keyset.Of(r.CreatedAt, r.Id)).Select(r => r.ToDelivery());
    }

    public async Task<WebhookDelivery?> DeliveryAsync(Guid subscriptionId, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition($"""
            SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.subscription_id = @subscriptionId AND d.id = @id
            """, new { subscriptionId, id }, cancellationToken: ct));
        return row?.ToDelivery();
    }

    /// <summary>Every attempt of a delivery, first to last.</summary>
    public async Task<IReadOnlyList<WebhookAttempt>> AttemptsAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<WebhookAttempt>(new CommandDefinition(
            "SELECT number, started_at, duration_ms, status_code, error, response_body FROM webhook_attempts WHERE delivery_id = @deliveryId ORDER BY number",
            new { deliveryId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Queues one more attempt of a delivery, now, whatever its status: a failed one gets one
    /// attempt (then it is failed again, or delivered), a pending one is brought forward. Refused
    /// while an attempt is in flight, so the two cannot overwrite each other's outcome.
    /// </summary>
    public async Task<RedeliverOutcome> RedeliverAsync(Guid subscriptionId, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<(DateTime? LeaseExpiresAt, DateTime? DisabledAt)?>(new CommandDefinition("""
            SELECT d.lease_expires_at, s.disabled_at FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.id = @id AND d.subscription_id = @subscriptionId FOR UPDATE OF d
            """, new { id, subscriptionId }, tx, cancellationToken: ct));
        if (current is not { } c)
        {
            return RedeliverOutcome.NotFound;
        }
        if (c.DisabledAt is not null)
        {
            return RedeliverOutcome.Disabled;
        }
        if (c.LeaseExpiresAt is { } lease && lease > now.UtcDateTime)
        {
            return RedeliverOutcome.InFlight;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = @now, lease_owner = NULL, lease_expires_at = NULL WHERE id = @id
            """, new { id, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return RedeliverOutcome.Queued;
    }

    private sealed class SubscriptionRow
    {
        public Guid Id { get; init; }
        public string Url { get; init; } = "";
        public string[] Events { get; init; } = [];
        public Guid? AssessmentId { get; init; }
        public string? Description { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? DisabledAt { get; init; }

        public WebhookSubscription ToSubscription() => new(Id, Url, Events, AssessmentId, Description, CreatedBy, CreatedAt, DisabledAt);
    }

    private sealed class DeliveryRow
    {
        public Guid Id { get; init; }
        public Guid SubscriptionId { get; init; }
        public Guid EventId { get; init; }
        public string EventType { get; init; } = "";
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public int? LastStatus { get; init; }
        public string? LastError { get; init; }
        public DateTime? NextAttemptAt { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? DeliveredAt { get; init; }

        public WebhookDelivery ToDelivery() => new(Id, SubscriptionId, EventId, WebhookOutbox.WebhookId(EventId), EventType, Enum.Parse<DeliveryStatus>(Status, ignoreCase: true), Attempts,
            LastStatus, LastError, NextAttemptAt, CreatedAt, DeliveredAt);
    }
}
