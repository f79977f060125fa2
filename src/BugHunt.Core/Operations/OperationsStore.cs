using Dapper;
using Npgsql;

namespace BugHunt.Core.Operations;

public sealed record QueueStats(long Queued, long Running, double? OldestQueuedSeconds);

public sealed record VerdictStats(string Verdict, long Count);

/// <param name="Kind">submit (graded for the score) or run (the public tests only).</param>
public sealed record SubmissionStats(string Kind, long Count);

public sealed record LatencyStats(long Count, double? P50Seconds, double? P95Seconds, double? P99Seconds);

public sealed record GraderStatus(string Id, string Host, DateTime StartedAt, DateTime LastSeen, long Graded, Guid? CurrentSubmission, bool Alive);

/// <summary>What operators watch: queue depth, verdict latency and the graders' heartbeats.</summary>
public sealed class OperationsStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>A grader that has not reported within this long is considered dead.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    public async Task HeartbeatAsync(string graderId, Guid? current, bool graded, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO graders (id, host, started_at, last_seen, graded, current_submission)
            VALUES (@graderId, @host, @now, @now, CASE WHEN @graded THEN 1 ELSE 0 END, @current)
            ON CONFLICT (id) DO UPDATE SET last_seen = @now, current_submission = @current,
                graded = graders.graded + CASE WHEN @graded THEN 1 ELSE 0 END
            """, new { graderId, host = Environment.MachineName, now, current, graded }, cancellationToken: ct));
    }

    public async Task<QueueStats> QueueAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<QueueStats>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
                   count(*) FILTER (WHERE status = 'running') AS running,
                   extract(epoch FROM @now - min(created_at) FILTER (WHERE status = 'queued'))::float8 AS oldest_queued_seconds
            FROM submissions WHERE status <> 'done'
            """, new { now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<VerdictStats>> VerdictsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<VerdictStats>(new CommandDefinition(
            "SELECT verdict, count(*) AS count FROM submissions WHERE status = 'done' GROUP BY verdict ORDER BY verdict", cancellationToken: ct))];
    }

    /// <summary>Every submission accepted so far, by kind.</summary>
    public async Task<IReadOnlyList<SubmissionStats>> SubmissionsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<SubmissionStats>(new CommandDefinition(
            "SELECT kind, count(*) AS count FROM submissions GROUP BY kind ORDER BY kind", cancellationToken: ct))];
    }

    /// <summary>Accepted-to-stored latency of the verdicts of the last hour.</summary>
    public async Task<LatencyStats> LatencyAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<LatencyStats>(new CommandDefinition("""
            SELECT count(*) AS count,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)::float8) AS p50_seconds,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)::float8) AS p95_seconds,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)::float8) AS p99_seconds
            FROM submissions WHERE status = 'done' AND finished_at > @since
            """, new { since = clock.GetUtcNow() - TimeSpan.FromHours(1) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<GraderStatus>> GradersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string Host, DateTime StartedAt, DateTime LastSeen, long Graded, Guid? CurrentSubmission)>(new CommandDefinition(
            "SELECT id, host, started_at, last_seen, graded, current_submission FROM graders WHERE last_seen > @since ORDER BY started_at",
            new { since = now - TimeSpan.FromDays(1) }, cancellationToken: ct));
        return [.. rows.Select(r => new GraderStatus(r.Id, r.Host, r.StartedAt, r.LastSeen, r.Graded, r.CurrentSubmission, now.UtcDateTime - r.LastSeen < HeartbeatTimeout))];
    }
}
