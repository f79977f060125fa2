using System.Diagnostics;
using BugHunt.Api.Integrity;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Integrity;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// The restore drill of docs/operations.md, and snapshot retention: a backup taken in the middle of
/// an assessment restores into a fresh database with everything intact, and the work that was in
/// flight when it was taken is graded after the restore.
/// </summary>
public sealed class BackupTests
{
    /// <summary>A real 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static readonly SnapshotLimits AnyNumber = new() { MinInterval = TimeSpan.Zero };

    [EndToEndFact]
    public async Task Backup_taken_mid_assessment_restores_intact_and_in_flight_work_is_graded_after()
    {
        await using var live = await ScratchDatabase.CreateAsync("backup");
        var clock = TimeProvider.System;
        var submissions = new SubmissionStore(live.Db, clock);
        var integrity = new IntegrityStore(live.Db, clock);

        // Mid-assessment: one submission graded (level 1 passed, level 2 unlocked), one queued, and
        // one a grader had claimed when the backup was taken; snapshots of each session.
        var (gradedSession, graded) = await live.SubmitDirectAsync(levels: 2);
        using (var grader = Grader(live.Db))
        {
            Assert.True(await grader.GradeNextAsync(CancellationToken.None));
        }
        var (queuedSession, queued) = await live.SubmitDirectAsync(levels: 2);
        var (claimedSession, claimed) = await live.SubmitDirectAsync(levels: 2);
        Assert.Equal(queued, (await submissions.ClaimNextAsync("grader-cut-off-by-the-backup", TimeSpan.FromSeconds(3), CancellationToken.None))!.Id);
        Assert.Equal(claimed, (await submissions.ClaimNextAsync("grader-cut-off-by-the-backup", TimeSpan.FromSeconds(3), CancellationToken.None))!.Id);
        await submissions.ReleaseAsync(queued, "grader-cut-off-by-the-backup", CancellationToken.None);
        foreach (var session in new[] { gradedSession, queuedSession, claimedSession })
        {
            Assert.Equal(SnapshotOutcome.Stored, (await integrity.SaveSnapshotAsync(session, "webcam", "image/png", Png, AnyNumber, CancellationToken.None)).Outcome);
            Assert.Equal(SnapshotOutcome.Stored, (await integrity.SaveSnapshotAsync(session, "screen", "image/png", Png, AnyNumber, CancellationToken.None)).Outcome);
        }

        var dump = Path.Combine(Path.GetTempPath(), $"{live.Name}.dump");
        try
        {
            // Exactly the commands of docs/operations.md.
            await PgAsync("pg_dump", "--format=custom", "--no-owner", $"--file={dump}", live.Name);
            await using var restored = await ScratchDatabase.CreateAsync("restored", migrate: false);
            await PgAsync("pg_restore", "--no-owner", "--exit-on-error", $"--dbname={restored.Name}", dump);

            foreach (var table in new[] { "assessments", "sessions", "session_levels", "submissions", "snapshots", "schema_migrations" })
            {
                var (rows, digest) = await DigestAsync(live.Db, table);
                Assert.True(rows > 0, $"the drill has no rows in {table}");
                Assert.Equal((rows, digest), await DigestAsync(restored.Db, table));
            }
            Assert.Empty(await Migrator.MigrateAsync(restored.Db, Migrator.Embedded(), CancellationToken.None));

            // A grader on the restored database finishes what was in flight: the queued submission at
            // once, the claimed one when the lease of the grader that is gone expires.
            using (var grader = Grader(restored.Db))
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (await restored.CountAsync("status <> 'done'") > 0)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the in-flight submissions were not graded after the restore");
                    if (!await grader.GradeNextAsync(CancellationToken.None))
                    {
                        await Task.Delay(250);
                    }
                }
            }
            var store = new SubmissionStore(restored.Db, clock);
            var sessions = new SessionStore(restored.Db, clock);
            foreach (var (session, id, attempts) in new[] { (gradedSession, graded, 1), (queuedSession, queued, 2), (claimedSession, claimed, 2) })
            {
                var submission = (await store.GetAsync(id, session, CancellationToken.None))!;
                Assert.Equal(VerdictKind.Accepted, submission.Verdict!.Kind);
                Assert.Equal(attempts, submission.Attempts);
                Assert.Equal(["passed", "unlocked"], (await sessions.LevelsAsync(session, CancellationToken.None)).Select(l => l.State));
                Assert.Equal(2, (await new IntegrityStore(restored.Db, clock).SnapshotsAsync(session, CancellationToken.None)).Count);
            }
            Assert.Equal(3, await restored.CountAsync("true"));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [PostgresFact]
    public async Task Snapshot_retention_deletes_snapshots_older_than_the_setting_and_keeps_the_rest()
    {
        await using var scratch = await ScratchDatabase.CreateAsync("retention");
        var clock = new ManualClock();
        var integrity = new IntegrityStore(scratch.Db, clock);
        var (session, _) = await scratch.SubmitDirectAsync();
        Assert.Equal(SnapshotOutcome.Stored, (await integrity.SaveSnapshotAsync(session, "webcam", "image/png", Png, AnyNumber, CancellationToken.None)).Outcome);
        clock.Advance(TimeSpan.FromDays(5));
        var kept = (await integrity.SaveSnapshotAsync(session, "webcam", "image/png", Png, AnyNumber, CancellationToken.None)).Id;
        clock.Advance(TimeSpan.FromDays(3));

        // Eight days after the first snapshot and three after the second, with seven days' retention.
        var retention = new SnapshotRetention(integrity, SnapshotRetentionOptions.From(Configuration("7")), clock, NullLogger<SnapshotRetention>.Instance);
        Assert.Equal(1, await retention.SweepAsync(CancellationToken.None));
        Assert.Equal([kept!.Value], (await integrity.SnapshotsAsync(session, CancellationToken.None)).Select(s => s.Id));

        // Unset, nothing is ever deleted.
        clock.Advance(TimeSpan.FromDays(365));
        var forever = new SnapshotRetention(integrity, SnapshotRetentionOptions.From(Configuration(null)), clock, NullLogger<SnapshotRetention>.Instance);
        Assert.Equal(0, await forever.SweepAsync(CancellationToken.None));
        Assert.Single(await integrity.SnapshotsAsync(session, CancellationToken.None));
        Assert.Throws<InvalidOperationException>(() => SnapshotRetentionOptions.From(Configuration("0")));
    }

    private static IConfiguration Configuration(string? days) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SnapshotRetentionOptions.Variable] = days })
            .Build();

    private static GraderInstance Grader(NpgsqlDataSource db) => GraderInstance.Create(db, SandboxOptions.FromEnvironment() with { WarmPoolSize = 0 },
        new GraderOptions { Lease = TimeSpan.FromSeconds(3) }, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Rows and an md5 of their text, in id order: equal digests mean equal contents.</summary>
    private static async Task<(long Rows, string Digest)> DigestAsync(NpgsqlDataSource db, string table)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, string)>($"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {table} t");
    }

    /// <summary>Runs a PostgreSQL client program against the test server (the libpq variables carry where it is).</summary>
    private static async Task PgAsync(string program, params string[] args)
    {
        var url = new NpgsqlConnectionStringBuilder(TestEnvironment.DatabaseUrl);
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["PGHOST"] = url.Host;
        start.Environment["PGPORT"] = url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = url.Username;
        start.Environment["PGPASSWORD"] = url.Password;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {await error}");
    }
}
