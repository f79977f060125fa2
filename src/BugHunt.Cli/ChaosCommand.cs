using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using Dapper;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// `bughunt chaos`: a private stack (PostgreSQL, the API, graders) on loopback takes many candidates'
/// submissions while faults from a seeded schedule hit it for real: graders killed and paused,
/// sandboxes killed, the Docker engine and PostgreSQL restarted, the API killed, the graders' temp
/// folder filled. At the end it checks that nothing was lost or graded twice, that verdicts are those
/// of a quiet system, and that every session's unlock state matches its verdicts. Bounded in count and time.
/// </summary>
internal static partial class ChaosCommand
{
    /// <summary>Claims a submission may take before SandboxError is its final verdict (GraderOptions.MaxAttempts).</summary>
    private static readonly int MaxAttempts = new Grader.Grading.GraderOptions().MaxAttempts;

    public static Command Chaos()
    {
        var submissions = Invocation.Bounded("--submissions", 2000, 20000, "submissions, one per candidate");
        var minutes = Invocation.Bounded("--minutes", 40, 240, "the bound of the whole run; faults and submissions are spread over its first 70%");
        var seed = new Option<int?>("--seed") { Description = "the seed of the fault schedule and the mix [default: random, printed]", HelpName = "S" };
        var faults = Invocation.Bounded("--faults-per-kind", 100, 1000, "faults of each kind");
        var graders = Invocation.Bounded("--graders", 3, 8, "grader processes");
        var docker = Invocation.Flag("--restart-docker-engine", "include real restarts of this machine's dockerd (every other user of the engine sees them)");
        var packs = Invocation.Word("--packs", "DIR", "the directory of challenge packs", "challenges");
        var command = new Command("chaos", "many candidates submit while real faults hit a private stack; lost, duplicated, differing verdicts")
        {
            submissions, minutes, seed, faults, graders, docker, packs,
        };
        command.SetRun((parse, context, ct) => LiveProgress.RunAsync("chaos", json: false, output => RunAsync(new Plan(
            parse.GetValue(submissions), TimeSpan.FromMinutes(parse.GetValue(minutes)), parse.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000),
            parse.GetValue(faults), parse.GetValue(graders), parse.GetValue(docker), parse.GetRequiredValue(packs)), context, output, ct)));
        return command;
    }

    private sealed record Plan(int Submissions, TimeSpan Bound, int Seed, int FaultsPerKind, int Graders, bool RestartDocker, string Packs)
    {
        /// <summary>Faults and submissions are spread over this much of the bound; the rest is for the queue to drain.</summary>
        public TimeSpan Window => Bound * 0.7;

        public IReadOnlyList<FaultKind> Kinds => [.. Enum.GetValues<FaultKind>().Where(k => RestartDocker || k != FaultKind.DockerRestart)];
    }

    /// <summary>What the run's candidates met, filled while it runs.</summary>
    private sealed class Observed
    {
        public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

        public ConcurrentBag<double> ReadMs { get; } = [];

        public ConcurrentDictionary<Guid, (HttpClient Candidate, string Kind)> Accepted { get; } = new();

        public int Refused;

        public void Error(string what) => Errors.AddOrUpdate(what, 1, (_, n) => n + 1);
    }

    private static async Task<int> RunAsync(Plan plan, CommandContext context, LiveOutput output, CancellationToken ct)
    {
        var apiPath = ServerCommands.DefaultApiPath();
        if (!File.Exists(apiPath))
        {
            throw new UsageException($"the API is not built at {apiPath} (build BugHunt.sln)");
        }
        var clock = Stopwatch.StartNew();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(plan.Bound + TimeSpan.FromMinutes(2));
        ct = bound.Token;
        output.WriteLine($"bughunt chaos: seed {plan.Seed}, {plan.Submissions} submissions, {plan.Graders} graders, {plan.FaultsPerKind} faults of each of {plan.Kinds.Count} kinds over {plan.Window.TotalMinutes:F1} min (bound {plan.Bound.TotalMinutes:F0} min)");
        if (!plan.RestartDocker)
        {
            output.WriteLine("  dockerd restarts are off (--restart-docker-engine turns them on)");
        }
        output.Step("starting a private PostgreSQL");
        await using var stack = await ChaosStack.StartAsync(apiPath, plan.Seed, ct);
        await using var db = BugHuntDatabase.Open(stack.Postgres.ConnectionString);
        await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        var (challenge, version) = await ImportAsync(db, context, plan.Packs, Path.Combine(stack.LogFolder, ".."), ct);
        var assessment = await new AssessmentStore(db, context.Clock).CreateAsync(new NewAssessment(
            "chaos", 90, 200, 0, false, "chaos run", new ProctoringRequirements(false, false), [new NewLevel(version, 100, 1.0), new NewLevel(version, 100, 1.0)]), ct);
        var invite = await new SessionStore(db, context.Clock).CreateInviteAsync(assessment, "chaos", null, 0, reusable: true, ct);

        output.Step($"starting the API and {plan.Graders} graders");
        await stack.StartApiAsync(ct);
        for (var i = 0; i < plan.Graders; i++)
        {
            stack.StartGrader(i);
        }
        var observed = new Observed();
        var candidates = new CandidateClient(stack.ApiAddress, attempts: 400, observed.Error);
        var mix = SubmissionMix.For(challenge);
        mix.Add(SubmissionMix.TimeLimit(challenge));

        output.Step("quiet run: each kind of submission once, before any fault");
        var quiet = await QuietVerdictsAsync(db, candidates, invite, mix, ct);
        output.WriteLine($"  quiet verdicts: {string.Join(", ", mix.Select(m => $"{m.Name} → {quiet[m.Name]}"))}");
        observed.Errors.Clear();

        output.Step($"{plan.Submissions} candidates submitting while faults are injected");
        var faults = new ChaosFaults(stack, db, context.Sandbox.DockerEndpoint, Path.Combine(Path.GetTempPath(), "bughunt-chaos-dockerd.log"), output.Step);
        // Faults end a little before the last submissions arrive, so that each one meets work in flight.
        var injecting = faults.RunAsync(plan.Kinds, plan.FaultsPerKind, plan.Window * 0.9, plan.Seed, ct);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = Enumerable.Range(0, 4).Select(r => ReadAsync(observed, plan.Seed + r, reading.Token)).ToList();
        var progress = ProgressAsync(db, observed, plan, faults, output, reading.Token);
        var picks = new Random(plan.Seed);
        var kinds = Enumerable.Range(0, plan.Submissions).Select(_ => Pick(mix, picks)).ToList();
        var pace = plan.Window / plan.Submissions;
        var phase = Stopwatch.StartNew();
        var submitters = Enumerable.Range(0, plan.Submissions).Select(i => Task.Run(async () =>
        {
            var due = pace * i;
            if (due > phase.Elapsed)
            {
                await Task.Delay(due - phase.Elapsed, ct);
            }
            var candidate = await candidates.StartSessionAsync(invite, ct);
            if (await candidates.SubmitAsync(candidate, 1, kinds[i].Files, $"chaos-{i}", ct) is { } id)
            {
                observed.Accepted[id] = (candidate, kinds[i].Name);
            }
            else
            {
                Interlocked.Increment(ref observed.Refused);
            }
        }, ct)).ToList();
        await Task.WhenAll(submitters);
        output.Step($"all submitted; {faults.Failures.Count} faults failed so far; waiting for the fault schedule to end");
        await injecting;
        output.Step("faults done; waiting for the queue to drain");
        var ids = observed.Accepted.Keys.ToArray();
        var lost = await CandidateClient.WaitDoneAsync(db, ids, plan.Bound - clock.Elapsed, ct);
        await reading.CancelAsync();
        await Task.WhenAll(readers.Append(progress).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        // Containers a fault ended that nobody removed: a grader removes its own when it next starts.
        var leftover = (await stack.ContainersAsync(context.Sandbox.DockerEndpoint, exitedOnly: true, ct)).Count;
        output.Step("checking verdicts, sessions and the graders' logs");
        var report = await CheckAsync(db, observed, quiet, stack.LogFolder, ct);
        var apiMismatches = await CompareWithApiAsync(observed, report.StoredVerdicts, ct);
        var pass = lost == 0 && report.Duplicated == 0 && report.Unexplained.Count == 0 && report.UnlockMismatches == 0 && apiMismatches == 0
            && observed.Refused == 0 && !observed.Errors.Keys.Any(IsUndocumented)
            && plan.Kinds.All(k => faults.Injected(k) >= plan.FaultsPerKind);
        output.WriteLine(Render(plan, observed, report, faults, lost, apiMismatches, leftover, clock.Elapsed, stack.LogFolder, pass));
        return pass ? 0 : 1;
    }

    private static bool IsUndocumented(string error) => !(error.StartsWith("no answer", StringComparison.Ordinal) || error is "503 with Retry-After" or "429 with Retry-After");

    private static MixKind Pick(List<MixKind> mix, Random random)
    {
        // Causal-attention grades in about a fifth of a second; a time-limit submission holds its
        // grader (and a core) until the limit, so it is one in fifty.
        var roll = random.Next(50);
        return roll == 0 ? mix[^1] : mix[roll % (mix.Count - 1)];
    }

    /// <summary>
    /// causal-attention from a copy of its pack whose time limit is 15 s instead of 30: the time-limit
    /// submissions hold a grader half as long, and a correct one still finishes far inside it.
    /// </summary>
    private static async Task<(Challenge Challenge, Guid Version)> ImportAsync(NpgsqlDataSource db, CommandContext context, string packsDir, string root, CancellationToken ct)
    {
        var copy = Path.Combine(root, "packs", "lab-screen");
        CopyFolder(Path.Combine(packsDir, "lab-screen"), copy);
        var yaml = Path.Combine(copy, "causal-attention", "challenge.yaml");
        var text = await File.ReadAllTextAsync(yaml, ct);
        await File.WriteAllTextAsync(yaml, TimeLimitLine().Replace(text, "time_seconds: 15", 1), ct);
        var pack = PackLoader.Load(copy);
        var challenge = pack.Challenges.Single(x => x.Id == "causal-attention");
        var version = (await new ChallengeStore(db, context.Clock).ImportAsync(pack, ct)).Single(x => x.ChallengeId == challenge.Id).VersionId;
        return (challenge, version);
    }

    [GeneratedRegex(@"time_seconds:\s*\d+")]
    private static partial Regex TimeLimitLine();

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The verdict each kind of submission gets with no fault anywhere: what every chaos verdict is compared with.</summary>
    private static async Task<Dictionary<string, string>> QuietVerdictsAsync(NpgsqlDataSource db, CandidateClient candidates, string invite, List<MixKind> mix, CancellationToken ct)
    {
        var ids = new Dictionary<string, Guid>();
        foreach (var kind in mix)
        {
            var candidate = await candidates.StartSessionAsync(invite, ct);
            ids[kind.Name] = await candidates.SubmitAsync(candidate, 1, kind.Files, "quiet", ct) ?? throw new InvalidOperationException($"the quiet {kind.Name} submission was refused");
        }
        if (await CandidateClient.WaitDoneAsync(db, [.. ids.Values], TimeSpan.FromMinutes(5), ct) > 0)
        {
            throw new InvalidOperationException("the quiet submissions were not graded within 5 minutes");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var verdicts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, id) in ids)
        {
            verdicts[name] = await connection.ExecuteScalarAsync<string>("SELECT verdict FROM submissions WHERE id = @id", new { id }) ?? "";
        }
        return verdicts;
    }

    /// <summary>Candidates waiting for results keep reading their session, level and submissions: the non-grading endpoints.</summary>
    private static Task ReadAsync(Observed observed, int seed, CancellationToken ct) => Task.Run(async () =>
    {
        var random = new Random(seed);
        string[] paths = ["/api/session", "/api/session/levels/1", "/api/session/submissions"];
        while (!ct.IsCancellationRequested)
        {
            var accepted = observed.Accepted.Values.ToArray();
            if (accepted.Length == 0)
            {
                await Task.Delay(50, CancellationToken.None);
                continue;
            }
            var candidate = accepted[random.Next(accepted.Length)].Candidate;
            var t = Stopwatch.StartNew();
            try
            {
                using var response = await candidate.GetAsync(paths[random.Next(paths.Length)], CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    observed.ReadMs.Add(t.Elapsed.TotalMilliseconds);
                }
                else
                {
                    observed.Error(response.Headers.RetryAfter is null ? $"{(int)response.StatusCode} without Retry-After" : $"{(int)response.StatusCode} with Retry-After");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                observed.Error("no answer (connection refused or reset, or timed out)");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }, CancellationToken.None);

    private static async Task ProgressAsync(NpgsqlDataSource db, Observed observed, Plan plan, ChaosFaults faults, LiveOutput output, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                var ids = observed.Accepted.Keys.ToArray();
                await using var connection = await db.OpenConnectionAsync(ct);
                var done = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status = 'done'", new { ids });
                output.Step($"{ids.Length} accepted, {done} graded; faults {string.Join(", ", plan.Kinds.Select(k => $"{k} {faults.Injected(k)}"))}");
            }
            catch (NpgsqlException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed record Report(
        long Rows,
        long Stored,
        IReadOnlyList<(string Verdict, long N)> Verdicts,
        long Duplicated,
        long Retried,
        long ExtraAttempts,
        long LateVerdictsDiscarded,
        IReadOnlyList<string> Unexplained,
        IReadOnlyDictionary<string, int> ExplainedSandboxErrors,
        long Sessions,
        long UnlockMismatches,
        IReadOnlyDictionary<Guid, string?> StoredVerdicts);

    [GeneratedRegex(@"Submission ([0-9a-f-]{36}): (\w+) \(.*?\) in \d+ ms(?<lost> — lease lost)?")]
    private static partial Regex VerdictLogLine();

    private static async Task<Report> CheckAsync(NpgsqlDataSource db, Observed observed, Dictionary<string, string> quiet, string logs, CancellationToken ct)
    {
        var ids = observed.Accepted.Keys.ToArray();
        await using var connection = await db.OpenConnectionAsync(ct);
        var stored = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status = 'done' AND verdict IS NOT NULL", new { ids });
        var verdicts = (await connection.QueryAsync<(string Verdict, long N)>(
            "SELECT coalesce(verdict, '(none)'), count(*) FROM submissions WHERE id = ANY(@ids) GROUP BY verdict ORDER BY verdict", new { ids })).ToList();
        // One submission per (session, idempotency key): a retried POST is the same submission.
        var sameKey = await connection.ExecuteScalarAsync<long>("""
            SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM submissions WHERE idempotency_key LIKE 'chaos-%' GROUP BY session_id, idempotency_key) d
            """);
        var rows = (await connection.QueryAsync<(Guid Id, string? Verdict, int Attempts, string? Result)>(
            "SELECT id, verdict, attempts, result::text FROM submissions WHERE id = ANY(@ids)", new { ids })).ToList();

        // Every verdict a grader recorded (not the late ones it was refused), from all graders' logs,
        // killed ones included: two recorded for one submission would be a duplicate final verdict.
        var recorded = new Dictionary<Guid, int>();
        long discarded = 0;
        foreach (var log in Directory.EnumerateFiles(logs, "grader-*.log"))
        {
            foreach (Match m in VerdictLogLine().Matches(await File.ReadAllTextAsync(log, ct)))
            {
                if (m.Groups["lost"].Success)
                {
                    discarded++;
                }
                else
                {
                    var id = Guid.Parse(m.Groups[1].Value);
                    recorded[id] = recorded.GetValueOrDefault(id) + 1;
                }
            }
        }
        var twice = recorded.Count(r => r.Value > 1);

        var unexplained = new List<string>();
        var explained = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Verdict is not null))
        {
            var kind = observed.Accepted[row.Id].Kind;
            if (Normal(row.Verdict) == Normal(quiet[kind]))
            {
                continue;
            }
            if (Normal(row.Verdict) == "sandboxerror" && row.Attempts >= MaxAttempts)
            {
                var reason = Reason(row.Result);
                explained[reason] = explained.GetValueOrDefault(reason) + 1;
                continue;
            }
            unexplained.Add($"{row.Id} ({kind}): {row.Verdict} where a quiet run gives {quiet[kind]}, after {row.Attempts} attempts: {Reason(row.Result)}");
        }

        // One level passed (and the next unlocked) exactly when the session's submission was accepted.
        var sessions = (await connection.QueryAsync<(bool Accepted, string First, string Second)>("""
            SELECT bool_or(lower(replace(s.verdict, '_', '')) = 'accepted'), min(l1.state), min(l2.state)
            FROM submissions s
            JOIN session_levels l1 ON l1.session_id = s.session_id AND l1.position = 1
            JOIN session_levels l2 ON l2.session_id = s.session_id AND l2.position = 2
            WHERE s.id = ANY(@ids) GROUP BY s.session_id
            """, new { ids })).ToList();
        var mismatches = sessions.LongCount(s => s.Accepted != (s.First == "passed") || s.Accepted != (s.Second == "unlocked"));
        return new Report(rows.Count, stored, verdicts, sameKey + twice, rows.LongCount(r => r.Attempts > 1), rows.Sum(r => (long)Math.Max(0, r.Attempts - 1)),
            discarded, unexplained, explained, sessions.Count, mismatches, rows.ToDictionary(r => r.Id, r => r.Verdict));
    }

    private static string Reason(string? result)
    {
        if (result is null)
        {
            return "(no result)";
        }
        using var json = JsonDocument.Parse(result);
        var message = json.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
            : json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        message ??= "";
        // Container ids and addresses differ per submission; the kind of failure is what counts.
        return HexRun().Replace(message.Length > 140 ? message[..140] : message, "…");
    }

    [GeneratedRegex("[0-9a-f]{12,}")]
    private static partial Regex HexRun();

    /// <summary>
    /// What every candidate sees for their submission through the API matches the stored verdict.
    /// Verdicts are compared ignoring case and '_' ("WrongAnswer" and "wrong_answer" are one).
    /// </summary>
    private static async Task<int> CompareWithApiAsync(Observed observed, IReadOnlyDictionary<Guid, string?> stored, CancellationToken ct)
    {
        var mismatches = 0;
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(observed.Accepted.Select(async pair =>
        {
            await gate.WaitAsync(ct);
            try
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        var body = await pair.Value.Candidate.GetFromJsonAsync<JsonElement>($"/api/session/submissions/{pair.Key}", ct);
                        var listed = CandidateClient.Items(await pair.Value.Candidate.GetFromJsonAsync<JsonElement>("/api/session/submissions", ct))
                            .Any(item => item.GetProperty("id").GetGuid() == pair.Key);
                        if (!listed || !string.Equals(body.GetProperty("status").GetString(), "done", StringComparison.OrdinalIgnoreCase)
                            || !body.TryGetProperty("verdict", out var verdict) || verdict.ValueKind != JsonValueKind.String
                            || Normal(verdict.GetString()) != Normal(stored.GetValueOrDefault(pair.Key)))
                        {
                            Interlocked.Increment(ref mismatches);
                        }
                        return;
                    }
                    catch (HttpRequestException) when (attempt < 5)
                    {
                        await Task.Delay(1000, ct);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return mismatches;
    }

    private static string Normal(string? verdict) => (verdict ?? "").Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string Render(Plan plan, Observed observed, Report report, ChaosFaults faults, long lost, int apiMismatches, int leftover, TimeSpan took, string logs, bool pass)
    {
        var reads = observed.ReadMs.ToList();
        var lines = new List<string>
        {
            "",
            $"chaos run, seed {plan.Seed}: {plan.Submissions} submissions, {plan.Graders} graders, {took.TotalMinutes:F1} min",
            $"  submissions accepted (202)    {observed.Accepted.Count}   (refused for good: {observed.Refused})",
            $"  verdicts stored               {report.Stored}   ({string.Join(", ", report.Verdicts.Select(v => $"{v.Verdict} {v.N}"))})",
            $"  lost                          {lost}   (never stored: {observed.Accepted.Count - report.Rows}; without a verdict when the bound passed: {report.Rows - report.Stored})",
            $"  duplicated                    {report.Duplicated}   (retried after a fault, not duplicates: {report.Retried} submissions, {report.ExtraAttempts} extra attempts; late verdicts of paused or cut-off graders discarded: {report.LateVerdictsDiscarded})",
            $"  verdicts unlike a quiet run   {report.Unexplained.Count} unexplained, {report.ExplainedSandboxErrors.Values.Sum()} SandboxError after {MaxAttempts} attempts",
        };
        lines.AddRange(report.ExplainedSandboxErrors.OrderByDescending(e => e.Value).Select(e => $"      {e.Value,5} × {e.Key}"));
        lines.AddRange(report.Unexplained.Take(20).Select(u => $"      unexplained: {u}"));
        lines.Add("  faults injected               " + string.Join("; ", plan.Kinds.Select(k =>
        {
            var (mean, max) = faults.Duration(k);
            return $"{ChaosFaults.Describe(k)} {faults.Injected(k)} (mean {mean:F1} s, max {max:F1} s)";
        })));
        if (!plan.RestartDocker)
        {
            lines.Add("                                dockerd restart: not enabled (--restart-docker-engine)");
        }
        lines.AddRange(faults.Failures.Take(10).Select(f => $"      not injected: {f}"));
        lines.Add("  candidate-facing errors       " + (observed.Errors.IsEmpty ? "none" : string.Join("; ", observed.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}{(IsUndocumented(e.Key) ? " (UNDOCUMENTED)" : "")}"))));
        lines.Add($"  non-grading endpoints         p50 {Percentiles.Of(reads, 50):F1} ms   p99 {Percentiles.Of(reads, 99):F1} ms   over {reads.Count} requests");
        lines.Add($"  unlock state                  {report.Sessions - report.UnlockMismatches} of {report.Sessions} sessions match their verdicts");
        lines.Add($"  API lists and shows verdict   {observed.Accepted.Count - apiMismatches} of {observed.Accepted.Count}");
        lines.Add($"  exited sandboxes left over    {leftover}   (removed when their grader next starts; all of this run's removed now)");
        lines.Add($"  logs                          {logs}");
        lines.Add($"  result                        {(pass ? "PASS" : "FAIL")}");
        return string.Join('\n', lines);
    }
}
