using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Core.Sessions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// `bughunt bench`: verdict latency through the full path (API → queue → warm pool → stored →
/// the candidate's stream), warm and cold sandboxes, and the in-process physical limit, side by side
/// in one run, with where each submission's time goes; then throughput with many submissions queued
/// next to the in-process throughput on the same cores, and the API's latency meanwhile.
/// </summary>
internal static class BenchCommand
{
    public static Command Bench()
    {
        var runs = Invocation.PositiveInt("--runs", 5, "runs per mode and challenge");
        var saturation = Invocation.PositiveInt("--saturation", 12, "submissions queued at once to measure throughput");
        var workers = Invocation.PositiveInt("--workers", 2, "graders draining the queue");
        var packs = Invocation.Word("--packs", "DIR", "the directory of challenge packs", "challenges");
        // The very runner the image holds (sandbox/build-image.sh keeps its publish here).
        var runner = Invocation.Word(
            "--runner", "PATH", "the published runner, for the in-process mode", Path.Combine(".bughunt", "runner", "BugHunt.Runner"));
        var api = Invocation.Word("--api", "PATH", "the built BugHunt.Api.dll [default: next to this CLI]");
        var challenges = Invocation.Word(
            "--challenges", "PACK/ID,...", "the challenges to measure", "lab-screen/causal-attention,lab-screen/tiny-gpt");
        var json = Invocation.Flag("--json", "print every figure as JSON on stdout");
        var command = new Command("bench", "verdict latency (full path, warm, cold, in-process), where it goes, and throughput")
        {
            runs, saturation, workers, packs, runner, api, challenges, json,
        };
        command.SetRun((parse, context, ct) => LiveProgress.RunAsync("benchmarking", parse.GetValue(json), output => RunAsync(
            new Settings(parse.GetValue(runs), parse.GetValue(saturation), parse.GetValue(workers), parse.GetRequiredValue(packs),
                parse.GetRequiredValue(runner), parse.GetValue(api) ?? ServerCommands.DefaultApiPath(), parse.GetRequiredValue(challenges).Split(','), parse.GetValue(json)),
            context, output, ct)));
        return command;
    }

    private sealed record Settings(int Runs, int Queued, int Workers, string Packs, string Runner, string Api, string[] Targets, bool Json);

    /// <summary>p50 and p95 of one mode, in milliseconds.</summary>
    public sealed record Latency(double P50, double P95, IReadOnlyList<double> Runs)
    {
        public static Latency Of(IReadOnlyList<double> ms) => new(Math.Round(Percentiles.Of(ms, 50), 1), Math.Round(Percentiles.Of(ms, 95), 1), [.. ms.Select(m => Math.Round(m, 1))]);
    }

    /// <summary>Where a full-path submission's time went (p50 of each part over the runs, ms).</summary>
    public sealed record Breakdown(double QueueWait, double GraderOutsideSandbox, double ContainerOverhead, double Compile, double Probes, double RunnerOther, double Delivery)
    {
        /// <summary>The sandbox's host steps (take, send, run, exit, inspect), p50 each.</summary>
        public IReadOnlyDictionary<string, double> HostSteps { get; init; } = new Dictionary<string, double>();
    }

    /// <summary>What one warm container costs before its job: wall time and machine CPU from create to primed.</summary>
    public sealed record PoolRefill(double WallMs, double CpuMs);

    public sealed record ChallengeFigures(
        string Challenge,
        int Probes,
        Latency InProcess,
        Latency InProcessFirstJob,
        Latency Cold,
        Latency Warm,
        Latency Full,
        Breakdown FullBreakdown,
        PoolRefill Refill,
        double FullOverInProcess,
        double FullOverInProcessFirstJob,
        double FullOverCold,
        double WarmOverCold);

    public sealed record SaturationFigures(
        string Challenge,
        int Submissions,
        int Graders,
        double DrainSeconds,
        double PerMinute,
        double InProcessPerMinute,
        double ShareOfInProcess,
        double MachineCpuMsPerSubmission,
        double CompileAndProbesCpuShare,
        Latency ApiReads);

    public sealed record Figures(int Cores, string Image, IReadOnlyList<ChallengeFigures> Challenges, SaturationFigures? Saturation);

    private static async Task<int> RunAsync(Settings settings, CommandContext context, LiveOutput output, CancellationToken ct)
    {
        if (!File.Exists(settings.Runner))
        {
            throw new UsageException($"no runner at {settings.Runner} (sandbox/build-image.sh publishes it there, or pass --runner)");
        }
        await using var db = context.OpenDatabase();
        await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        var challenges = new ChallengeStore(db, context.Clock);
        output.Step("starting the API");
        using var api = await LocalApi.StartAsync(settings.Api, ct);
        using var http = api.Client();
        var graders = GraderInstance.CreateMany(settings.Workers, db, context.Sandbox with { WarmPoolSize = 1 }, context.Grading, context.Clock, NullLoggerFactory.Instance);
        using var stopGraders = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var grading = graders.Select(g => g.RunAsync(stopGraders.Token)).ToList();
        var bench = new Measurements(settings, db, http, challenges, graders, context, output);
        try
        {
            if (!settings.Json)
            {
                output.WriteLine($"bughunt bench: {settings.Runs} runs per mode, {Environment.ProcessorCount} cores, sandbox image {context.Sandbox.Image}");
            }
            var measured = new List<ChallengeFigures>();
            foreach (var target in settings.Targets)
            {
                if (await bench.LoadAsync(target, ct) is not { } loaded)
                {
                    output.Step($"{target}: not in {settings.Packs}, skipped");
                    continue;
                }
                var figures = await bench.MeasureAsync(loaded, ct);
                measured.Add(figures);
                if (!settings.Json)
                {
                    Print(output, figures);
                }
            }
            SaturationFigures? saturated = null;
            if (measured.Count > 0 && await bench.LoadAsync(settings.Targets[0], ct) is { } first)
            {
                saturated = await bench.SaturationAsync(first, ct);
                if (!settings.Json)
                {
                    Print(output, saturated);
                }
            }
            if (settings.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(new Figures(Environment.ProcessorCount, context.Sandbox.Image, measured, saturated), BugHuntDatabase.Json));
            }
            return 0;
        }
        finally
        {
            await stopGraders.CancelAsync();
            await Task.WhenAll(grading.Select(g => g.ContinueWith(_ => { }, TaskScheduler.Default)));
            graders.ForEach(g => g.Dispose());
        }
    }

    private static void Print(LiveOutput output, ChallengeFigures f)
    {
        output.WriteLine($"\n{f.Challenge} (reference solution, {f.Probes} probes)");
        Row(output, "in-process, steady (physical limit)", f.InProcess);
        Row(output, "in-process, first job of a primed process", f.InProcessFirstJob);
        Row(output, "cold docker run per submission", f.Cold);
        Row(output, "warm pool sandbox (primed)", f.Warm);
        Row(output, "full path: API → queue → pool → stored → stream", f.Full);
        var b = f.FullBreakdown;
        output.WriteLine($"  full path p50 by part: queue {b.QueueWait:F0} ms, grader outside the sandbox {b.GraderOutsideSandbox:F0} ms, container {b.ContainerOverhead:F0} ms,");
        output.WriteLine($"    compile {b.Compile:F0} ms, probes {b.Probes:F0} ms, runner other {b.RunnerOther:F0} ms, delivery to the stream {b.Delivery:F0} ms");
        output.WriteLine($"  the sandbox's steps on the host (p50): {string.Join(", ", b.HostSteps.Select(s => $"{s.Key} {s.Value:F0} ms"))}");
        output.WriteLine($"  a warm container before its job: {f.Refill.WallMs:F0} ms wall, {f.Refill.CpuMs:F0} ms of machine CPU (create, start, runtime, warm-up, primer)");
        output.WriteLine($"  ratios (p50): full / in-process = {f.FullOverInProcess:F2} (target ≤ 1.5)   full / first job in-process = {f.FullOverInProcessFirstJob:F2}   full / cold = {f.FullOverCold:F2} (target ≤ 0.2)   warm / cold = {f.WarmOverCold:F2}");
    }

    private static void Print(LiveOutput output, SaturationFigures s)
    {
        output.WriteLine($"\nsaturation: {s.Submissions} submissions of {s.Challenge} queued at once, {s.Graders} graders with a warm pool of 1 each");
        output.WriteLine($"  drained in {s.DrainSeconds:F1} s = {s.PerMinute:F1} submissions/minute; in-process on the same {Environment.ProcessorCount} cores: {s.InProcessPerMinute:F0}/minute; share {s.ShareOfInProcess:P0} (target ≥ 50%)");
        output.WriteLine($"  machine CPU per submission {s.MachineCpuMsPerSubmission:F0} ms, of it compile + probes {s.CompileAndProbesCpuShare:P0}");
        output.WriteLine($"  non-grading API reads while saturated: p50 {s.ApiReads.P50:F1} ms, p99 {Percentiles.Of(s.ApiReads.Runs, 99):F1} ms over {s.ApiReads.Runs.Count} requests (target p99 < 20 ms)");
    }

    private static void Row(LiveOutput output, string mode, Latency latency) =>
        output.WriteLine($"  {mode,-50} p50 {latency.P50,8:F0} ms   p95 {latency.P95,8:F0} ms");

    /// <summary>A challenge ready to measure: imported, prepared by the graders, with its jobs.</summary>
    private sealed record Loaded(string Target, Challenge Challenge, Guid Version, SandboxJob Job, SandboxJob Primer);

    /// <summary>The measurements of one run, over one API, database and set of graders.</summary>
    private sealed class Measurements(Settings settings, NpgsqlDataSource db, HttpClient http, ChallengeStore challenges, List<GraderInstance> graders, CommandContext context, LiveOutput output)
    {
        public async Task<Loaded?> LoadAsync(string target, CancellationToken ct)
        {
            var parts = target.Split('/');
            var dir = Path.Combine(settings.Packs, parts[0]);
            if (parts.Length != 2 || !Directory.Exists(Path.Combine(dir, parts[1])))
            {
                return null;
            }
            var pack = PackLoader.Load(dir);
            var challenge = pack.Challenges.Single(c => c.Id == parts[1]);
            var version = (await challenges.ImportAsync(pack, ct)).Single(c => c.ChallengeId == challenge.Id).VersionId;
            // An assessment uses the version, so idle graders prepare it (probes, every seed's reference
            // run); the bench waits for that, as a candidate of a prepared assessment would not.
            await CandidateAsync(version, ct);
            output.Step($"{target}: preparing probes and reference observations");
            while (await graders[0].Artifacts.PrepareNextAsync(ct))
            {
            }
            var probes = (await graders[0].Artifacts.ProbesAsync(challenge, ct)).Probes ?? throw new InvalidOperationException($"the probes of {target} do not build");
            var job = GradingPlan.Job(challenge, probes, challenge.ReferenceFiles, challenge.Tests, GradingPlan.HiddenSeeds(challenge)[0], "bench", 16_384);
            return new Loaded(target, challenge, version, job, GradingPlan.Primer(challenge, probes, 16_384));
        }

        public async Task<ChallengeFigures> MeasureAsync(Loaded x, CancellationToken ct)
        {
            var runs = settings.Runs;
            output.Step($"{x.Target}: {runs} runs in-process");
            var steady = (await InProcessAsync(x, runs + 1, ct)).Skip(1).ToList();
            var firstJob = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                output.Step($"{x.Target}: first job of primed process {i + 1} of {runs}");
                firstJob.Add((await InProcessAsync(x, 1, ct))[0]);
            }
            using var cold = new DockerSandbox(context.Sandbox with { WarmPoolSize = 0 }, context.Clock);
            var coldMs = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                output.Step($"{x.Target}: cold docker run {i + 1} of {runs}");
                coldMs.Add(Check(await cold.RunAsync(x.Job with { Nonce = DockerSandbox.NewNonce() }, x.Challenge.Limits, ct), x.Challenge).WallMs);
            }
            var warmMs = new List<double>();
            PoolRefill refill;
            using (var warm = new DockerSandbox(context.Sandbox, context.Clock))
            {
                output.Step($"{x.Target}: one warm container from create to primed");
                var cpu = CpuMs();
                var clock = Stopwatch.StartNew();
                var pool = warm.StartPool(1, x.Challenge.Limits.MemoryMb)!;
                pool.PrimeWith(x.Primer);
                await pool.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct);
                refill = new PoolRefill(Math.Round(clock.Elapsed.TotalMilliseconds), Math.Round(CpuMs() - cpu));
                for (var i = 0; i < runs; i++)
                {
                    output.Step($"{x.Target}: warm pool run {i + 1} of {runs}");
                    await pool.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct);
                    var run = Check(await warm.RunAsync(x.Job with { Nonce = DockerSandbox.NewNonce() }, x.Challenge.Limits, ct), x.Challenge);
                    warmMs.Add(run.Warm ? run.WallMs : throw new InvalidOperationException("the warm pool did not serve the job"));
                }
            }
            output.Step($"{x.Target}: {runs} submissions through the full path");
            var (fullMs, breakdown) = await FullPathAsync(x, runs, ct);
            double P50(List<double> ms) => Percentiles.Of(ms, 50);
            return new ChallengeFigures(x.Target, x.Challenge.Probes.Count, Latency.Of(steady), Latency.Of(firstJob), Latency.Of(coldMs), Latency.Of(warmMs), Latency.Of(fullMs), breakdown, refill,
                Math.Round(P50(fullMs) / P50(steady), 2), Math.Round(P50(fullMs) / P50(firstJob), 2), Math.Round(P50(fullMs) / P50(coldMs), 2), Math.Round(P50(warmMs) / P50(coldMs), 2));
        }

        /// <summary>Runs the job in one runner process on the host (no isolation): the primer, then the job <paramref name="count"/> times.</summary>
        private async Task<List<double>> InProcessAsync(Loaded x, int count, CancellationToken ct)
        {
            var start = new ProcessStartInfo(settings.Runner) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("--bench");
            start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(x.Primer, ProtocolJson.Options));
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(x.Job, ProtocolJson.Options));
            process.StandardInput.Close();
            var text = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var times = text.Split('\n').Where(l => l.StartsWith("bench ", StringComparison.Ordinal)).ToList();
            if (times.Count != count || times.Any(t => t.EndsWith("failed", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("in-process runs failed: " + text[..Math.Min(500, text.Length)]);
            }
            return [.. times.Select(t => double.Parse(t["bench ".Length..], CultureInfo.InvariantCulture))];
        }

        private async Task<(List<double> Ms, Breakdown Parts)> FullPathAsync(Loaded x, int runs, CancellationToken ct)
        {
            // One submission first, not counted: the graders' pools then hold containers primed for this challenge.
            var warmUp = await CandidateAsync(x.Version, ct);
            await VerdictAsync(warmUp, await SubmitAsync(warmUp, x.Challenge.ReferenceFiles, ct), ct);
            var times = new List<double>();
            var parts = new List<Breakdown>();
            for (var i = 0; i < runs; i++)
            {
                // A candidate per run: the per-minute submission limit is per session.
                var candidate = await CandidateAsync(x.Version, ct);
                await PoolsFullAsync(ct);
                var elapsed = Stopwatch.StartNew();
                var id = await SubmitAsync(candidate, x.Challenge.ReferenceFiles, ct);
                var verdict = await VerdictAsync(candidate, id, ct);
                times.Add(elapsed.Elapsed.TotalMilliseconds);
                if (verdict != VerdictKinds.Name(VerdictKind.Accepted))
                {
                    throw new InvalidOperationException($"the reference got {verdict} through the full path");
                }
                parts.Add(await PartsAsync(id, elapsed.Elapsed.TotalMilliseconds, ct));
            }
            double P50(Func<Breakdown, double> part) => Math.Round(Percentiles.Of(parts.Select(part), 50), 1);
            var steps = parts.SelectMany(p => p.HostSteps.Keys).Distinct().ToDictionary(k => k, k => P50(p => p.HostSteps.GetValueOrDefault(k)));
            return (times, new Breakdown(P50(p => p.QueueWait), P50(p => p.GraderOutsideSandbox), P50(p => p.ContainerOverhead), P50(p => p.Compile), P50(p => p.Probes), P50(p => p.RunnerOther), P50(p => p.Delivery))
            {
                HostSteps = steps,
            });
        }

        /// <summary>One submission's time by part, from its stored timestamps and the sandbox's timings.</summary>
        private async Task<Breakdown> PartsAsync(Guid id, double clientMs, CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var row = await connection.QuerySingleAsync<(double Queue, double Graded, double Stored, string Result)>(new CommandDefinition("""
                SELECT extract(epoch FROM started_at - created_at) * 1000, extract(epoch FROM finished_at - started_at) * 1000,
                       extract(epoch FROM finished_at - created_at) * 1000, result::text
                FROM submissions WHERE id = @id
                """, new { id }, cancellationToken: ct));
            var timings = JsonSerializer.Deserialize<Verdict>(row.Result, BugHuntDatabase.Json)!.Timings;
            var probes = timings.ProbeMs.Values.Sum();
            return new Breakdown(row.Queue, row.Graded - timings.WallMs, timings.WallMs - timings.RunnerMs, timings.CompileMs, probes,
                timings.RunnerMs - timings.CompileMs - probes, clientMs - row.Stored) { HostSteps = timings.HostMs ?? new Dictionary<string, double>() };
        }

        public async Task<SaturationFigures> SaturationAsync(Loaded x, CancellationToken ct)
        {
            var count = settings.Queued;
            output.Step($"saturation: {count} submissions queued at once");
            // Many candidates, one submission each: sessions allow one submission in flight.
            var candidates = new List<Candidate>();
            for (var i = 0; i < count; i++)
            {
                candidates.Add(await CandidateAsync(x.Version, ct));
            }
            await PoolsFullAsync(ct);
            var cpuBefore = CpuMs();
            var elapsed = Stopwatch.StartNew();
            using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reads = ReadWhileGradingAsync(candidates[0], reading.Token);
            var ids = new List<Guid>();
            foreach (var candidate in candidates)
            {
                ids.Add(await SubmitAsync(candidate, x.Challenge.ReferenceFiles, ct));
            }
            for (var i = 0; i < ids.Count; i++)
            {
                await VerdictAsync(candidates[i], ids[i], ct);
            }
            var drainMs = elapsed.Elapsed.TotalMilliseconds;
            var cpuMs = CpuMs() - cpuBefore;
            await reading.CancelAsync();
            var readMs = await reads;
            var workMs = 0.0;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                foreach (var id in ids)
                {
                    var result = await connection.QuerySingleAsync<string>(new CommandDefinition("SELECT result::text FROM submissions WHERE id = @id", new { id }, cancellationToken: ct));
                    var t = JsonSerializer.Deserialize<Verdict>(result, BugHuntDatabase.Json)!.Timings;
                    workMs += t.ProbeMs.Values.Sum() + t.CompileMs;
                }
            }
            output.Step($"saturation: the same {count} jobs in-process on {Environment.ProcessorCount} cores");
            var inProcessPerMinute = await InProcessThroughputAsync(x, count, ct);
            var perMinute = count / (drainMs / 60_000);
            return new SaturationFigures(x.Target, count, graders.Count, Math.Round(drainMs / 1000, 1), Math.Round(perMinute, 1), Math.Round(inProcessPerMinute, 1),
                Math.Round(perMinute / inProcessPerMinute, 3), Math.Round(cpuMs / count), Math.Round(workMs / cpuMs, 3), Latency.Of(readMs));
        }

        /// <summary>
        /// Jobs per minute with one runner process per core, each running its share of the jobs
        /// (after its warm-up and primer, which are not counted): what the cores do without isolation.
        /// </summary>
        private async Task<double> InProcessThroughputAsync(Loaded x, int count, CancellationToken ct)
        {
            var cores = Environment.ProcessorCount;
            var shares = Enumerable.Range(0, cores).Select(i => count / cores + (i < count % cores ? 1 : 0)).Where(n => n > 0).ToList();
            var results = await Task.WhenAll(shares.Select(n => InProcessAsync(x, n, ct)));
            // The processes run at once; the slowest one's total is how long the cores took.
            return count / (results.Max(r => r.Sum()) / 60_000);
        }

        /// <summary>A candidate's non-grading reads (their session) every 20 ms until cancelled; the latencies.</summary>
        private static async Task<List<double>> ReadWhileGradingAsync(Candidate candidate, CancellationToken ct)
        {
            var latencies = new List<double>();
            try
            {
                while (true)
                {
                    var clock = Stopwatch.StartNew();
                    (await candidate.Http.GetAsync("/api/session", ct)).EnsureSuccessStatusCode();
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                    await Task.Delay(20, ct);
                }
            }
            catch (OperationCanceledException)
            {
                return latencies;
            }
        }

        private async Task PoolsFullAsync(CancellationToken ct)
        {
            foreach (var g in graders)
            {
                await g.Sandbox.Pool!.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct);
            }
        }

        private async Task<Candidate> CandidateAsync(Guid version, CancellationToken ct)
        {
            // A one-level assessment per bench candidate, with the rate rules the bench needs.
            var assessment = await new AssessmentStore(db, context.Clock).CreateAsync(new NewAssessment(
                "bench", 600, 600, 0, false, "bench", new ProctoringRequirements(false, false), [new NewLevel(version, 100, 1.0)]), ct);
            var invite = await new SessionStore(db, context.Clock).CreateInviteAsync(assessment, "bench", null, 0, reusable: false, ct);
            var opened = await (await http.PostAsync($"/api/invites/{invite}/sessions", null, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Authorization = new("Bearer", opened.GetProperty("token").GetString());
            (await client.PostAsync("/api/session/start", null, ct)).EnsureSuccessStatusCode();
            return new Candidate(client, opened.GetProperty("session_id").GetGuid());
        }
    }

    private sealed record Candidate(HttpClient Http, Guid Session);

    private static SandboxRun Check(SandboxRun run, Challenge challenge) =>
        run.ProblemAsReference(challenge.Probes.Select(p => p.Id)) is { } problem ? throw new InvalidOperationException("reference run failed: " + problem) : run;

    private static async Task<Guid> SubmitAsync(Candidate candidate, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        var response = await candidate.Http.PostAsJsonAsync("/api/session/levels/1/submissions", new { files }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    /// <summary>Follows the submission's event stream, as the candidate's page does, until its verdict arrives.</summary>
    private static async Task<string> VerdictAsync(Candidate candidate, Guid id, CancellationToken ct)
    {
        using var response = await candidate.Http.GetAsync($"/api/session/submissions/{id}/events", HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal)
                && JsonDocument.Parse(line["data:".Length..]).RootElement is var view
                && view.GetProperty("status").GetString() == "done")
            {
                return view.GetProperty("verdict").GetString()!;
            }
        }
        throw new InvalidOperationException($"the stream of submission {id} ended before its verdict");
    }

    /// <summary>CPU time the whole machine spent (all states but idle and iowait), from /proc/stat.</summary>
    private static double CpuMs()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4];
        return busy * 1000.0 / 100; // USER_HZ is 100 on Linux
    }
}
