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
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// `bughunt bench`: verdict latency through the full path (API → queue → warm pool → stored),
/// warm and cold sandboxes, and the in-process physical limit, side by side in one run; then
/// throughput and the share of CPU spent in probes with many submissions queued.
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
        var command = new Command("bench", "verdict latency (full path, warm, cold, in-process) and throughput")
        {
            runs, saturation, workers, packs, runner, api, challenges,
        };
        command.SetRun((parse, context, ct) => LiveProgress.RunAsync("benchmarking", json: false, output => RunAsync(
            parse.GetValue(runs), parse.GetValue(saturation), parse.GetValue(workers),
            parse.GetRequiredValue(packs), parse.GetRequiredValue(runner), parse.GetValue(api) ?? ServerCommands.DefaultApiPath(),
            parse.GetRequiredValue(challenges).Split(','), context, output, ct)));
        return command;
    }

    private static async Task<int> RunAsync(
        int runs, int queued, int workers, string packsDir, string runner, string apiPath, string[] targets,
        CommandContext context, LiveOutput output, CancellationToken ct)
    {
        if (!File.Exists(runner))
        {
            throw new UsageException($"no runner at {runner} (sandbox/build-image.sh publishes it there, or pass --runner)");
        }

        await using var db = context.OpenDatabase();
        await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        var challenges = new ChallengeStore(db, context.Clock);
        output.Step("starting the API");
        using var api = await LocalApi.StartAsync(apiPath, ct);
        using var http = api.Client();

        var graders = GraderInstance.CreateMany(workers, db, context.Sandbox with { WarmPoolSize = 1 }, context.Grading, context.Clock, NullLoggerFactory.Instance);
        using var stopGraders = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var grading = graders.Select(g => g.RunAsync(stopGraders.Token)).ToList();
        try
        {
            output.WriteLine($"bughunt bench: {runs} runs per mode, {Environment.ProcessorCount} cores, sandbox image {context.Sandbox.Image}");
            foreach (var target in targets)
            {
                var parts = target.Split('/');
                var dir = Path.Combine(packsDir, parts[0]);
                if (!Directory.Exists(Path.Combine(dir, parts[1])))
                {
                    output.WriteLine($"\n{target}: not in {packsDir}, skipped");
                    continue;
                }
                var pack = PackLoader.Load(dir);
                var challenge = pack.Challenges.Single(c => c.Id == parts[1]);
                var version = (await challenges.ImportAsync(pack, ct)).Single(c => c.ChallengeId == challenge.Id).VersionId;
                output.Step($"{target}: building the probes");
                var build = await new ProbeBuilds(graders[0].Sandbox).GetAsync(challenge, ct);
                var job = GradingPlan.Job(challenge, build.Probes ?? throw new InvalidOperationException(build.Error), challenge.ReferenceFiles,
                    challenge.Tests, GradingPlan.HiddenSeeds(challenge)[0], "bench", 16_384);

                output.WriteLine($"\n{target} (reference solution, {challenge.Probes.Count} probes)");
                output.Step($"{target}: {runs} runs in-process");
                var inProcess = await InProcessAsync(runner, job, runs, ct);
                using var cold = new DockerSandbox(context.Sandbox with { WarmPoolSize = 0 }, context.Clock);
                var coldMs = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    output.Step($"{target}: cold docker run {i + 1} of {runs}");
                    coldMs.Add(Check(await cold.RunAsync(job with { Nonce = DockerSandbox.NewNonce() }, challenge.Limits, ct), challenge).WallMs);
                }
                var warmMs = new List<double>();
                using (var warm = new DockerSandbox(context.Sandbox, context.Clock))
                {
                    var pool = warm.StartPool(1, challenge.Limits.MemoryMb)!;
                    for (var i = 0; i < runs; i++)
                    {
                        output.Step($"{target}: warm pool run {i + 1} of {runs}");
                        await pool.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct);
                        var run = Check(await warm.RunAsync(job with { Nonce = DockerSandbox.NewNonce() }, challenge.Limits, ct), challenge);
                        warmMs.Add(run.Warm ? run.WallMs : throw new InvalidOperationException("the warm pool did not serve the job"));
                    }
                }
                output.Step($"{target}: {runs} submissions through the full path");
                var fullMs = await FullPathAsync(http, db, context.Clock, version, challenge, graders, runs, ct);

                Row(output, "in-process (physical limit)", inProcess);
                Row(output, "cold docker run per submission", coldMs);
                Row(output, "warm pool sandbox", warmMs);
                Row(output, "full path: API → queue → warm pool → stored", fullMs);
                output.WriteLine($"  ratios (p50): full / in-process = {Percentiles.Of(fullMs, 50) / Percentiles.Of(inProcess, 50):F2} (target ≤ 2.0)   warm / in-process = {Percentiles.Of(warmMs, 50) / Percentiles.Of(inProcess, 50):F2}   warm / cold = {Percentiles.Of(warmMs, 50) / Percentiles.Of(coldMs, 50):F2} (target ≤ 0.15)");
            }

            var saturation = targets[0].Split('/');
            var satPack = PackLoader.Load(Path.Combine(packsDir, saturation[0]));
            var satChallenge = satPack.Challenges.Single(c => c.Id == saturation[1]);
            var satVersion = (await challenges.ImportAsync(satPack, ct)).Single(c => c.ChallengeId == satChallenge.Id).VersionId;
            output.Step($"saturation: {queued} submissions queued at once");
            await SaturationAsync(http, db, context.Clock, satVersion, satChallenge, graders, queued, output, ct);
            return 0;
        }
        finally
        {
            await stopGraders.CancelAsync();
            await Task.WhenAll(grading.Select(g => g.ContinueWith(_ => { }, TaskScheduler.Default)));
            graders.ForEach(g => g.Dispose());
        }
    }

    private static SandboxRun Check(SandboxRun run, Challenge challenge) =>
        run.ProblemAsReference(challenge.Probes.Select(p => p.Id)) is { } problem ? throw new InvalidOperationException("reference run failed: " + problem) : run;

    private static async Task<List<double>> InProcessAsync(string runner, SandboxJob job, int runs, CancellationToken ct)
    {
        var start = new ProcessStartInfo(runner) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--bench");
        start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(job, ProtocolJson.Options));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var times = output.Split('\n').Where(l => l.StartsWith("bench ", StringComparison.Ordinal)).ToList();
        if (times.Count != runs || times.Any(t => t.EndsWith("failed", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("in-process runs failed: " + output[..Math.Min(500, output.Length)]);
        }
        return [.. times.Select(t => double.Parse(t["bench ".Length..], CultureInfo.InvariantCulture))];
    }

    private static async Task<List<double>> FullPathAsync(HttpClient http, NpgsqlDataSource db, TimeProvider clock, Guid version, Challenge challenge, List<GraderInstance> graders, int runs, CancellationToken ct)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            // A candidate per run: the per-minute submission limit is per session.
            var candidate = await CandidateAsync(http, db, clock, version, ct);
            foreach (var g in graders)
            {
                await g.Sandbox.Pool!.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct);
            }
            var elapsed = Stopwatch.StartNew();
            var id = await SubmitAsync(candidate, challenge.ReferenceFiles, ct);
            var verdict = await VerdictAsync(candidate, id, ct);
            times.Add(elapsed.Elapsed.TotalMilliseconds);
            if (verdict != "Accepted")
            {
                throw new InvalidOperationException($"the reference got {verdict} through the full path");
            }
        }
        return times;
    }

    private static async Task SaturationAsync(
        HttpClient http, NpgsqlDataSource db, TimeProvider clock, Guid version, Challenge challenge, List<GraderInstance> graders, int count,
        LiveOutput output, CancellationToken ct)
    {
        // Many candidates, one submission each: sessions allow one submission in flight.
        var candidates = new List<Candidate>();
        for (var i = 0; i < count; i++)
        {
            candidates.Add(await CandidateAsync(http, db, clock, version, ct));
        }
        foreach (var g in graders)
        {
            await g.Sandbox.Pool!.WaitUntilFullAsync(TimeSpan.FromMinutes(2), ct);
        }
        var cpuBefore = CpuMs();
        var elapsed = Stopwatch.StartNew();
        var ids = new List<Guid>();
        foreach (var candidate in candidates)
        {
            ids.Add(await SubmitAsync(candidate, challenge.ReferenceFiles, ct));
        }
        var probeMs = 0.0;
        for (var i = 0; i < ids.Count; i++)
        {
            await VerdictAsync(candidates[i], ids[i], ct);
        }
        var drainMs = elapsed.Elapsed.TotalMilliseconds;
        var cpuMs = CpuMs() - cpuBefore;
        var store = new SubmissionStore(db, clock);
        for (var i = 0; i < ids.Count; i++)
        {
            var s = await store.GetAsync(ids[i], candidates[i].Session, ct);
            probeMs += s!.Verdict!.Timings.ProbeMs.Values.Sum() + s.Verdict.Timings.CompileMs;
        }
        output.WriteLine($"\nsaturation: {count} submissions of {challenge.PackId}/{challenge.Id} queued at once, {graders.Count} graders with a warm pool of 1 each");
        output.WriteLine($"  drained in {drainMs / 1000:F1} s = {count / (drainMs / 60_000):F1} submissions/minute");
        output.WriteLine($"  CPU time in compile + probes: {probeMs / 1000:F1} s of {cpuMs / 1000:F1} s used by the machine = {100 * probeMs / cpuMs:F0}% (target ≥ 80%)");
    }

    private sealed record Candidate(HttpClient Http, Guid Session);

    private static async Task<Candidate> CandidateAsync(HttpClient http, NpgsqlDataSource db, TimeProvider clock, Guid version, CancellationToken ct)
    {
        // A one-level assessment per bench candidate, with the rate rules the bench needs.
        var assessment = await new AssessmentStore(db, clock).CreateAsync(new NewAssessment(
            "bench", 600, 600, 0, false, "bench", new ProctoringRequirements(false, false), [new NewLevel(version, 100, 1.0)]), ct);
        var invite = await new SessionStore(db, clock).CreateInviteAsync(assessment, "bench", null, 0, reusable: false, ct);
        var opened = await (await http.PostAsync($"/api/invites/{invite}/sessions", null, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var client = new HttpClient { BaseAddress = http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", opened.GetProperty("token").GetString());
        (await client.PostAsync("/api/session/start", null, ct)).EnsureSuccessStatusCode();
        return new Candidate(client, opened.GetProperty("session_id").GetGuid());
    }

    private static async Task<Guid> SubmitAsync(Candidate candidate, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        var response = await candidate.Http.PostAsJsonAsync("/api/session/levels/1/submissions", new { files }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    private static async Task<string> VerdictAsync(Candidate candidate, Guid id, CancellationToken ct)
    {
        while (true)
        {
            var body = await candidate.Http.GetFromJsonAsync<JsonElement>($"/api/session/submissions/{id}", ct);
            if (body.GetProperty("status").GetString() == "done")
            {
                return body.GetProperty("verdict").GetString()!;
            }
            await Task.Delay(10, ct);
        }
    }

    /// <summary>CPU time the whole machine spent (all states but idle and iowait), from /proc/stat.</summary>
    private static double CpuMs()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4];
        return busy * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    private static void Row(LiveOutput output, string mode, List<double> ms) =>
        output.WriteLine($"  {mode,-46} p50 {Percentiles.Of(ms, 50),8:F0} ms   p95 {Percentiles.Of(ms, 95),8:F0} ms");
}
