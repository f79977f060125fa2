using System.Globalization;
using BugHunt.Core.Webhooks;

namespace BugHunt.Api.Webhooks;

/// <summary>How this API node delivers webhooks; <see cref="From"/> is the one place configuration is read.</summary>
public sealed record WebhookOptions
{
    /// <summary>Whether this node runs the dispatcher (BUGHUNT_WEBHOOKS_DISPATCH=false turns it off, e.g. on nodes without egress).</summary>
    public bool Dispatch { get; init; } = true;

    /// <summary>Attempts per delivery before it is failed (BUGHUNT_WEBHOOK_MAX_ATTEMPTS).</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The delay after the first failed attempt; it doubles after each (BUGHUNT_WEBHOOK_RETRY_BASE_SECONDS).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between two attempts (BUGHUNT_WEBHOOK_RETRY_MAX_SECONDS).</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How long a receiver has to answer, connection included (BUGHUNT_WEBHOOK_TIMEOUT_SECONDS).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for due deliveries and passed deadlines (BUGHUNT_WEBHOOK_POLL_SECONDS).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries attempted at the same time by one node.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>How long a claim holds: well past the timeout, so a slow attempt is never claimed twice.</summary>
    public TimeSpan Lease => Timeout * 3 + TimeSpan.FromSeconds(5);

    public RetrySchedule Schedule => new(MaxAttempts, RetryBase, RetryMax);

    public static WebhookOptions From(IConfiguration configuration)
    {
        var defaults = new WebhookOptions();
        return new WebhookOptions
        {
            Dispatch = configuration["BUGHUNT_WEBHOOKS_DISPATCH"] switch
            {
                null or "" => true,
                var text when bool.TryParse(text, out var on) => on,
                var text => throw new InvalidOperationException($"BUGHUNT_WEBHOOKS_DISPATCH must be true or false, not '{text}'."),
            },
            MaxAttempts = (int)Number(configuration, "BUGHUNT_WEBHOOK_MAX_ATTEMPTS", defaults.MaxAttempts, 1, 100, whole: true),
            RetryBase = Seconds(configuration, "BUGHUNT_WEBHOOK_RETRY_BASE_SECONDS", defaults.RetryBase, 0.01, 86_400),
            RetryMax = Seconds(configuration, "BUGHUNT_WEBHOOK_RETRY_MAX_SECONDS", defaults.RetryMax, 0.01, 7 * 86_400),
            Timeout = Seconds(configuration, "BUGHUNT_WEBHOOK_TIMEOUT_SECONDS", defaults.Timeout, 0.1, 60),
            PollInterval = Seconds(configuration, "BUGHUNT_WEBHOOK_POLL_SECONDS", defaults.PollInterval, 0.01, 60),
        };
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, TimeSpan fallback, double min, double max) =>
        TimeSpan.FromSeconds(Number(configuration, key, fallback.TotalSeconds, min, max, whole: false));

    private static double Number(IConfiguration configuration, string key, double fallback, double min, double max, bool whole)
    {
        var text = configuration[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max || (whole && value != Math.Floor(value)))
        {
            throw new InvalidOperationException($"{key} must be a {(whole ? "whole number" : "number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
        }
        return value;
    }
}
