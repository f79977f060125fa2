using System.Globalization;
using BugHunt.Core.Integrity;

namespace BugHunt.Api.Integrity;

/// <summary>
/// Deletes proctoring snapshots older than BUGHUNT_SNAPSHOT_RETENTION_DAYS, at start and then every
/// hour. Snapshots are most of what an assessment stores (docs/operations.md); unset, they are kept
/// for as long as the database is. Every API process may run it: deleting by age twice is harmless.
/// </summary>
public sealed class SnapshotRetention(IntegrityStore integrity, SnapshotRetentionOptions options, TimeProvider clock, ILogger<SnapshotRetention> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Deletes what is past retention now; 0 when retention is off.</summary>
    public async Task<long> SweepAsync(CancellationToken ct)
    {
        if (options.Days is not { } days)
        {
            return 0;
        }
        var deleted = await integrity.DeleteSnapshotsBeforeAsync(clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(days), ct);
        if (deleted > 0)
        {
            log.LogInformation("Deleted {Count} snapshots older than {Days} days", deleted, days);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Days is null)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                log.LogWarning("Snapshot retention: database unavailable ({Error}); trying again in an hour", e.Message);
            }
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>How long snapshots are kept; <see cref="From"/> is the one place configuration is read.</summary>
public sealed record SnapshotRetentionOptions(int? Days)
{
    public const string Variable = "BUGHUNT_SNAPSHOT_RETENTION_DAYS";

    public static SnapshotRetentionOptions From(IConfiguration configuration) => configuration[Variable] switch
    {
        null or "" => new SnapshotRetentionOptions((int?)null),
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1 => new SnapshotRetentionOptions(days),
        var text => throw new InvalidOperationException($"{Variable} must be a whole number of days (at least 1), not '{text}'."),
    };
}
