using System.Diagnostics.Metrics;
using BugHunt.Core.Operations;

namespace BugHunt.Api.Operations;

/// <summary>
/// BugHunt's own meter: what the queue, the verdicts and the graders look like, as observable
/// instruments that the Prometheus exporter reads at each scrape. The numbers live in PostgreSQL
/// (graders run in other processes, on other machines), so they are read from it — but only by
/// <see cref="RefreshIfStaleAsync"/>, at most once per <see cref="RefreshInterval"/> however many
/// scrapers call: the instruments' callbacks read the cached snapshot and never touch the database.
/// Every API process reports the same, cluster-wide values (docs/operations.md).
/// </summary>
public sealed class OperationsMetrics
{
    public const string MeterName = "BugHunt";

    /// <summary>The longest a scrape shows database-derived values for without reading them again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly OperationsStore _operations;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Snapshot? _snapshot;

    public OperationsMetrics(IMeterFactory meters, OperationsStore operations, TimeProvider clock)
    {
        _operations = operations;
        _clock = clock;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("bughunt.queue.depth", () => Read(s => s.Queue.Queued), "{submission}", "Submissions waiting for a grader.");
        meter.CreateObservableGauge("bughunt.submissions.running", () => Read(s => s.Queue.Running), "{submission}", "Submissions being graded now.");
        meter.CreateObservableGauge("bughunt.queue.oldest", () => Read(s => s.Queue.OldestQueuedSeconds ?? 0), "s", "Age of the oldest queued submission.");
        meter.CreateObservableCounter("bughunt.submissions", () => Each(s => s.Submissions.Select(v => Measure(v.Count, ("kind", v.Kind)))),
            "{submission}", "Submissions accepted, by kind: submit (graded for the score) or run (public tests only).");
        meter.CreateObservableCounter("bughunt.verdicts", () => Each(s => s.Verdicts.Select(v => Measure(v.Count, ("verdict", v.Verdict)))),
            "{verdict}", "Final verdicts stored, by kind.");
        meter.CreateObservableGauge("bughunt.verdict.latency", () => Each(s => Quantiles(s.Latency)), "s",
            "Accepted-to-stored latency of the last hour's verdicts, by quantile.");
        meter.CreateObservableGauge("bughunt.verdicts.last_hour", () => Read(s => s.Latency.Count), "{verdict}", "Verdicts stored in the last hour (what the latency quantiles are taken over).");
        meter.CreateObservableGauge("bughunt.graders.alive", () => Read(s => (long)s.Graders.Count(g => g.Alive)), "{grader}", "Graders that reported within the heartbeat timeout.");
        meter.CreateObservableCounter("bughunt.grader.graded", () => Each(s => s.Graders.Select(g => Measure(g.Graded, ("grader", g.Id), ("alive", g.Alive ? "true" : "false")))),
            "{submission}", "Submissions graded, per grader.");
    }

    /// <summary>
    /// Reads the database-derived values again when the cached ones are older than
    /// <see cref="RefreshInterval"/>. Concurrent scrapes wait for one read instead of each making their own.
    /// </summary>
    public async Task RefreshIfStaleAsync(CancellationToken ct)
    {
        if (IsFresh(_snapshot))
        {
            return;
        }
        await _refreshing.WaitAsync(ct);
        try
        {
            if (IsFresh(_snapshot))
            {
                return;
            }
            var read = _clock.GetUtcNow();
            _snapshot = new Snapshot(
                read,
                await _operations.QueueAsync(ct),
                await _operations.SubmissionsAsync(ct),
                await _operations.VerdictsAsync(ct),
                await _operations.LatencyAsync(ct),
                await _operations.GradersAsync(ct));
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private bool IsFresh(Snapshot? s) => s is not null && _clock.GetUtcNow() - s.ReadAt < RefreshInterval;

    // Before the first refresh there is nothing to report, rather than a misleading zero.
    private IEnumerable<Measurement<T>> Read<T>(Func<Snapshot, T> value) where T : struct =>
        _snapshot is { } s ? [new Measurement<T>(value(s))] : [];

    private IEnumerable<Measurement<T>> Each<T>(Func<Snapshot, IEnumerable<Measurement<T>>> values) where T : struct =>
        _snapshot is { } s ? values(s) : [];

    private static Measurement<long> Measure(long value, params (string Key, string Value)[] tags) =>
        new(value, tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)));

    private static IEnumerable<Measurement<double>> Quantiles(LatencyStats latency) =>
        new[] { ("0.5", latency.P50Seconds), ("0.95", latency.P95Seconds), ("0.99", latency.P99Seconds) }
            .Select(q => new Measurement<double>(q.Item2 ?? 0, new KeyValuePair<string, object?>("quantile", q.Item1)));

    private sealed record Snapshot(
        DateTimeOffset ReadAt,
        QueueStats Queue,
        IReadOnlyList<SubmissionStats> Submissions,
        IReadOnlyList<VerdictStats> Verdicts,
        LatencyStats Latency,
        IReadOnlyList<GraderStatus> Graders);
}
