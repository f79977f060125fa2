using System.CommandLine;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// `bughunt load`: N simulated candidates take a session each and submit a mix of correct, wrong,
/// non-compiling and hostile code through the HTTP API, while others keep reading their session;
/// it reports lost and duplicated verdicts, non-grading latency and drain time, once per grader
/// count, and the throughput ratio. Loopback only; bounded in count and time.
/// </summary>
internal static class LoadCommand
{
    public static Command Load()
    {
        var candidates = Invocation.Bounded("--candidates", 200, 2000, "candidates per run, each submitting once");
        var graders = Invocation.BoundedList("--graders", 8, "grader counts to run the load with, one run each [default: 1,2]");
        var packs = Invocation.Word("--packs", "DIR", "the directory of challenge packs", "challenges");
        var command = new Command("load", "N candidates submit a mix through the API; lost/duplicated, latency, drain")
        {
            candidates, graders, packs,
        };
        command.SetRun((parse, context, ct) => LiveProgress.RunAsync("load", json: false, output => RunAsync(
            parse.GetValue(candidates), parse.GetValue(graders) ?? [1, 2], parse.GetRequiredValue(packs), context, output, ct)));
        return command;
    }

    private static async Task<int> RunAsync(
        int candidates, int[] graderCounts, string packsDir, CommandContext context, LiveOutput output, CancellationToken ct)
    {
        await using var db = context.OpenDatabase();
        await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        var pack = PackLoader.Load(Path.Combine(packsDir, "lab-screen"));
        var challenge = pack.Challenges.Single(x => x.Id == "causal-attention");
        var version = (await new ChallengeStore(db, context.Clock).ImportAsync(pack, ct)).Single(x => x.ChallengeId == challenge.Id).VersionId;
        var mix = SubmissionMix.For(challenge);
        output.WriteLine($"bughunt load: {candidates} candidates per run, each submitting one of: {string.Join(", ", mix.Select(m => m.Name))}");

        var drains = new Dictionary<int, double>();
        foreach (var graders in graderCounts)
        {
            drains[graders] = await OneRunAsync(db, context, version, mix, candidates, graders, output, ct);
        }
        if (drains.Count > 1)
        {
            var baseline = drains[graderCounts[0]];
            foreach (var (g, d) in drains.Skip(1))
            {
                output.WriteLine($"throughput ratio {g} graders / {graderCounts[0]}: {baseline / d:F2}x (drain {baseline:F1} s → {d:F1} s)");
            }
        }
        return 0;
    }

    private static async Task<double> OneRunAsync(
        NpgsqlDataSource db, CommandContext context, Guid version, List<MixKind> mix, int count, int graderCount, LiveOutput output,
        CancellationToken ct)
    {
        output.Step($"{graderCount} grader(s): starting the API and the graders");
        using var api = await LocalApi.StartAsync(ServerCommands.DefaultApiPath(), ct);
        var candidates = new CandidateClient(api.Address, attempts: 5);
        var assessment = await new AssessmentStore(db, context.Clock).CreateAsync(new NewAssessment(
            $"load {graderCount}", 90, 600, 0, false, "load test", new ProctoringRequirements(false, false), [new NewLevel(version, 100, 1.0)]), ct);
        var invite = await new SessionStore(db, context.Clock).CreateInviteAsync(assessment, "load", null, 0, reusable: true, ct);

        var graders = GraderInstance.CreateMany(graderCount, db, context.Sandbox with { WarmPoolSize = 1 },
            context.Grading with { PollInterval = TimeSpan.FromMilliseconds(250) }, context.Clock, NullLoggerFactory.Instance);
        using var stopGraders = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = graders.Select(g => g.RunAsync(stopGraders.Token)).ToList();
        foreach (var g in graders)
        {
            await Task.Delay(100, ct);
            await (g.Sandbox.Pool?.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct) ?? Task.FromResult(true));
        }
        try
        {
            // Reference observations are computed once per version; do it before the clock starts.
            output.Step($"{graderCount} grader(s): a warm-up submission");
            var warm = await candidates.StartSessionAsync(invite, ct);
            await CandidateClient.WaitDoneAsync(db, [await candidates.SubmitAsync(warm, 1, mix[0].Files, "warm-up", ct) ?? throw new InvalidOperationException("warm-up submission refused")], TimeSpan.FromMinutes(3), ct);

            var accepted = new ConcurrentBag<Guid>();
            var refused = 0;
            var readLatencies = new ConcurrentBag<double>();
            using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var clients = new List<HttpClient>();
            output.Step($"{graderCount} grader(s): {count} candidates submitting");
            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(16);
            var submitters = Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    var candidate = await candidates.StartSessionAsync(invite, ct);
                    lock (clients)
                    {
                        clients.Add(candidate);
                    }
                    var id = await candidates.SubmitAsync(candidate, 1, mix[i % mix.Count].Files, $"load-{i}", ct);
                    if (id is { } accepted1)
                    {
                        accepted.Add(accepted1);
                    }
                    else
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            // Candidates waiting for results keep reading their session and level: non-grading endpoints.
            var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
            {
                var random = new Random(r);
                while (!reading.IsCancellationRequested)
                {
                    HttpClient? client;
                    lock (clients)
                    {
                        client = clients.Count == 0 ? null : clients[random.Next(clients.Count)];
                    }
                    if (client is null)
                    {
                        await Task.Delay(20, CancellationToken.None);
                        continue;
                    }
                    var t = Stopwatch.StartNew();
                    using var response = await client.GetAsync(random.Next(2) == 0 ? "/api/session" : "/api/session/levels/1", CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        readLatencies.Add(t.Elapsed.TotalMilliseconds);
                    }
                    await Task.Delay(25, CancellationToken.None);
                }
            }, CancellationToken.None)).ToList();
            await Task.WhenAll(submitters);
            var submitted = clock.Elapsed.TotalSeconds;
            output.Step($"{graderCount} grader(s): waiting for {accepted.Count} verdicts");
            var lost = await CandidateClient.WaitDoneAsync(db, [.. accepted], TimeSpan.FromMinutes(20), ct);
            var drain = clock.Elapsed.TotalSeconds;
            await reading.CancelAsync();
            await Task.WhenAll(readers);

            var ids = accepted.ToArray();
            await using var connection = await db.OpenConnectionAsync(ct);
            var stored = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status = 'done' AND verdict IS NOT NULL", new { ids });
            var duplicated = await connection.ExecuteScalarAsync<long>("""
                SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM submissions s JOIN sessions x ON x.id = s.session_id
                WHERE x.assessment_id = @assessment AND s.idempotency_key LIKE 'load-%' GROUP BY s.session_id, s.idempotency_key) d
                """, new { assessment });
            var regraded = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND attempts > 1", new { ids });
            var verdicts = await connection.QueryAsync<(string Verdict, long N)>("SELECT verdict, count(*) FROM submissions WHERE id = ANY(@ids) GROUP BY verdict ORDER BY verdict", new { ids });
            var reads = readLatencies.ToList();
            output.WriteLine($"""

                {graderCount} grader(s), {count} candidates
                  submissions accepted (202)   {ids.Length}   (refused: {refused})
                  verdicts stored              {stored}   ({string.Join(", ", verdicts.Select(v => $"{v.Verdict} {v.N}"))})
                  lost                         {lost}
                  duplicated                   {duplicated}   (graded more than once after an infrastructure retry: {regraded})
                  non-grading endpoints        p50 {Percentiles.Of(reads, 50):F1} ms   p99 {Percentiles.Of(reads, 99):F1} ms   over {reads.Count} requests during the run
                  all submitted after          {submitted:F1} s
                  drain time                   {drain:F1} s = {ids.Length / (drain / 60):F1} submissions/minute
                """);
            return drain;
        }
        finally
        {
            await stopGraders.CancelAsync();
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
            graders.ForEach(g => g.Dispose());
        }
    }
}
