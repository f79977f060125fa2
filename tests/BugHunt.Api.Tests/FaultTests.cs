using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using BugHunt.Api.Operations;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// Nothing is lost: a submission accepted once reaches exactly one final verdict, even when the
/// sandbox infrastructure keeps failing. Uses a database of its own, so no other grader is near.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.PostgresSkipReason is null)
        {
            _scratch = await ScratchDatabase.CreateAsync("faults");
        }
    }

    public async Task DisposeAsync()
    {
        if (_scratch is not null)
        {
            await _scratch.DisposeAsync();
        }
    }

    [EndToEndFact]
    public async Task Submission_whose_sandbox_keeps_failing_ends_in_one_explicit_SandboxError()
    {
        var (sessionId, id) = await _scratch.SubmitDirectAsync(new Dictionary<string, string> { ["Attention.cs"] = "class A {}" });
        var store = new SubmissionStore(_scratch.Db, TimeProvider.System);
        var sessions = new SessionStore(_scratch.Db, TimeProvider.System);

        // A grader whose sandbox image does not exist: every attempt is an infrastructure failure.
        var options = new GraderOptions { MaxAttempts = 3, RetryDelay = TimeSpan.Zero };
        using var worker = Grader(Cold with { Image = "bughunt-sandbox:does-not-exist" }, options);
        var claims = 0;
        while (await worker.GradeNextAsync(CancellationToken.None))
        {
            claims++;
            Assert.True(claims <= options.MaxAttempts, "the submission was claimed more often than MaxAttempts");
        }

        var submission = await store.GetAsync(id, sessionId, CancellationToken.None);
        Assert.Equal(options.MaxAttempts, claims);
        Assert.Equal(SubmissionStatus.Done, submission!.Status);
        Assert.Equal(options.MaxAttempts, submission.Attempts);
        Assert.Equal(VerdictKind.SandboxError, submission.Verdict!.Kind);
        Assert.Contains("grading infrastructure failed", submission.Verdict.Message, StringComparison.Ordinal);
        // The final verdict is never the candidate's fault: it scores nothing and changes no level.
        Assert.Equal("unlocked", (await sessions.LevelsAsync(sessionId, CancellationToken.None)).Single().State);
    }

    [EndToEndFact]
    public async Task Lease_of_a_grader_that_died_mid_run_returns_the_job_to_another_grader()
    {
        var (sessionId, id) = await _scratch.SubmitDirectAsync();
        var store = new SubmissionStore(_scratch.Db, TimeProvider.System);

        // A grader claims it with a short lease and dies without a word.
        var dead = await store.ClaimNextAsync("grader-that-died", TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(id, dead!.Id);
        Assert.Null(await store.ClaimNextAsync("eager-grader", TimeSpan.FromSeconds(30), CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using var grader = Grader();
        Assert.True(await grader.GradeNextAsync(CancellationToken.None));
        // The dead grader's late verdict, should it ever come, is discarded.
        Assert.False(await store.CompleteAsync(id, "grader-that-died", Judge.Decide([], SandboxRun.Infrastructure("late"), new Dictionary<string, ProbeReport>()), CancellationToken.None));

        var submission = await store.GetAsync(id, sessionId, CancellationToken.None);
        Assert.Equal(VerdictKind.Accepted, submission!.Verdict!.Kind);
        Assert.Equal(2, submission.Attempts);
        Assert.Equal("passed", (await new SessionStore(_scratch.Db, TimeProvider.System).LevelsAsync(sessionId, CancellationToken.None)).Single().State);
    }

    /// <summary>The environment's sandbox settings with no warm pool: these tests count claims and attempts exactly.</summary>
    private static SandboxOptions Cold => SandboxOptions.FromEnvironment() with { WarmPoolSize = 0 };

    private GraderInstance Grader(SandboxOptions? sandbox = null, GraderOptions? options = null) =>
        GraderInstance.Create(_scratch.Db, sandbox ?? Cold, options ?? new GraderOptions(), TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>An API over real HTTP on the fault database, reached through <paramref name="connectionString"/>.</summary>
    private static async Task<(WebApplication App, HttpClient Client)> StartApiAsync(string connectionString, TimeProvider? clock = null)
    {
        var app = Program.Build([], b =>
        {
            b.Services.AddSingleton(clock ?? TimeProvider.System);
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration[BugHuntDatabase.ConnectionStringVariable] = connectionString;
            b.Configuration["BUGHUNT_ADMIN_KEY"] = BugHuntServer.AdminKey;
            b.Logging.ClearProviders();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, ContractCheck.Client(new Uri(address)));
    }

    private static async Task<HttpClient> CandidateAsync(HttpClient api, string invite)
    {
        var opened = await (await api.PostAsync($"/api/invites/{invite}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>();
        var candidate = ContractCheck.Client(api.BaseAddress!);
        candidate.DefaultRequestHeaders.Authorization = new("Bearer", opened.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsync("/api/session/start", null)).StatusCode);
        return candidate;
    }

    [EndToEndFact]
    public async Task Database_outage_gets_503_with_retry_after_and_the_api_recovers_without_a_restart()
    {
        var (_, challenge, invite) = await _scratch.AttentionInviteAsync();
        var builder = new NpgsqlConnectionStringBuilder(_scratch.ConnectionString) { Timeout = 3, CommandTimeout = 5 };
        var target = new IPEndPoint(IPAddress.Loopback, builder.Port);
        await using var proxy = new TcpProxy(target);
        builder.Port = proxy.Port;
        var (app, api) = await StartApiAsync(builder.ConnectionString);
        await using var _ = app;
        var candidate = await CandidateAsync(api, invite);
        var body = new { files = challenge.ReferenceFiles };

        proxy.Stop();
        var down = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
        Assert.Contains("nothing was stored", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.GetAsync("/healthz")).StatusCode);

        proxy.Start();
        HttpResponseMessage? accepted = null;
        for (var i = 0; i < 20 && accepted?.StatusCode != HttpStatusCode.Accepted; i++)
        {
            // A client honours Retry-After; the first tries may meet connections the outage broke.
            accepted = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", body);
            if (accepted.StatusCode != HttpStatusCode.Accepted)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, accepted.StatusCode);
                await Task.Delay(500);
            }
        }
        Assert.Equal(HttpStatusCode.Accepted, accepted!.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/healthz")).StatusCode);

        using var worker = Grader();
        Assert.True(await worker.GradeNextAsync(CancellationToken.None));
        Assert.Equal(1, await _scratch.CountAsync("true"));
        Assert.Equal(1, await _scratch.CountAsync("status = 'done' AND verdict = 'accepted'"));
    }

    [EndToEndFact]
    public async Task Api_restart_loses_nothing_the_candidate_polls_the_verdict_from_the_new_api()
    {
        var (_, challenge, invite) = await _scratch.AttentionInviteAsync();
        var connection = _scratch.ConnectionString;
        var (first, api) = await StartApiAsync(connection);
        var candidate = await CandidateAsync(api, invite);
        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/submissions", new { files = challenge.ReferenceFiles });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await first.StopAsync();
        await first.DisposeAsync();

        using var worker = Grader();
        Assert.True(await worker.GradeNextAsync(CancellationToken.None));

        var (second, api2) = await StartApiAsync(connection);
        await using var _ = second;
        using var again = BugHuntServer.Rebase(candidate, api2.BaseAddress!);
        var verdict = await BugHuntServer.VerdictAsync(again, id);
        Assert.Equal("accepted", verdict.GetProperty("verdict").GetString());
        Assert.Equal(1, await _scratch.CountAsync("true"));
    }

    [EndToEndFact]
    public async Task Docker_engine_outage_mid_run_is_retried_and_ends_in_one_verdict()
    {
        var (sessionId, id) = await _scratch.SubmitDirectAsync();
        var store = new SubmissionStore(_scratch.Db, TimeProvider.System);

        // The grader reaches the engine through a proxy that the test cuts while the job runs.
        await using var proxy = new TcpProxy(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
        var graderId = "docker-outage-" + Guid.NewGuid().ToString("N")[..8];
        using var worker = Grader(Cold with { DockerEndpoint = new Uri($"tcp://127.0.0.1:{proxy.Port}"), GraderId = graderId }, new GraderOptions { RetryDelay = TimeSpan.FromSeconds(1) });
        var grading = worker.GradeNextAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        proxy.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2));
        proxy.Start();
        await grading;
        while (await worker.GradeNextAsync(CancellationToken.None))
        {
        }

        var submission = await store.GetAsync(id, sessionId, CancellationToken.None);
        Assert.Equal(SubmissionStatus.Done, submission!.Status);
        Assert.Equal(VerdictKind.Accepted, submission.Verdict!.Kind);
        Assert.True(submission.Attempts >= 2, $"the outage did not interrupt the first attempt (attempts {submission.Attempts})");
        Assert.Equal(1, await _scratch.CountAsync("true"));
        using var direct = new DockerSandbox(Cold with { GraderId = graderId }, TimeProvider.System);
        await direct.SweepAsync(graderId, CancellationToken.None);
    }

    [EndToEndFact]
    public async Task Grader_process_killed_mid_run_loses_its_lease_and_another_grader_finishes()
    {
        var (sessionId, id) = await _scratch.SubmitDirectAsync();
        var store = new SubmissionStore(_scratch.Db, TimeProvider.System);

        var cli = Path.Combine(TestEnvironment.RepositoryRoot(), "src", "BugHunt.Cli", "bin", BuildConfiguration(), "net10.0", "bughunt.dll");
        Assert.True(File.Exists(cli), $"the CLI is not built at {cli} (build BugHunt.sln)");
        var doomedId = "doomed-" + Guid.NewGuid().ToString("N")[..8];
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("grader");
        start.Environment[BugHuntDatabase.ConnectionStringVariable] = _scratch.ConnectionString;
        start.Environment["BUGHUNT_LEASE_SECONDS"] = "4";
        start.Environment["BUGHUNT_WARM_POOL"] = "0";
        start.Environment["BUGHUNT_GRADER_ID"] = doomedId;
        using (var doomed = System.Diagnostics.Process.Start(start)!)
        {
            doomed.OutputDataReceived += (_, _) => { };
            doomed.ErrorDataReceived += (_, _) => { };
            doomed.BeginOutputReadLine();
            doomed.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await store.GetAsync(id, sessionId, CancellationToken.None))!.Status != SubmissionStatus.Running)
            {
                Assert.True(DateTime.UtcNow < deadline, "the grader process never claimed the submission");
                await Task.Delay(50);
            }
            doomed.Kill(entireProcessTree: true);
            await doomed.WaitForExitAsync();
        }

        using var worker = Grader();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await worker.GradeNextAsync(CancellationToken.None))
        {
            Assert.True(DateTime.UtcNow < until, "the dead grader's lease never expired");
            await Task.Delay(250);
        }

        var submission = await store.GetAsync(id, sessionId, CancellationToken.None);
        Assert.Equal(VerdictKind.Accepted, submission!.Verdict!.Kind);
        Assert.Equal(2, submission.Attempts);
        Assert.Equal(1, await _scratch.CountAsync("true"));
        await worker.Sandbox.SweepAsync(doomedId, CancellationToken.None);
    }

    [EndToEndFact]
    public async Task Two_graders_grade_disjoint_sets_and_metrics_show_queue_graders_and_latency()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await _scratch.SubmitDirectAsync(new Dictionary<string, string> { ["Attention.cs"] = "broken" }, "run")).Id);
        }
        var connection = _scratch.ConnectionString;
        var clock = new ManualClock();
        var (app, api) = await StartApiAsync(connection, clock);
        await using var _ = app;
        async Task<string> MetricsAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add("X-Api-Key", BugHuntServer.AdminKey);
            using var response = await api.SendAsync(request);
            return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        }
        var before = await MetricsAsync();
        Assert.Equal(6, PrometheusText.Parse(before).Value("bughunt_queue_depth"));

        var polling = new GraderOptions { PollInterval = TimeSpan.FromMilliseconds(200) };
        using var a = Grader(Cold with { GraderId = "grader-a-" + Guid.NewGuid().ToString("N")[..6] }, polling);
        using var b = Grader(Cold with { GraderId = "grader-b-" + Guid.NewGuid().ToString("N")[..6] }, polling);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var graders = new[] { a, b }.Select(g => g.RunAsync(stop.Token)).ToList();
        while (await _scratch.CountAsync("status = 'done'") < ids.Count && !stop.IsCancellationRequested)
        {
            await Task.Delay(200);
        }
        // Past the cached snapshot of the first scrape.
        clock.Advance(OperationsMetrics.RefreshInterval);
        var metrics = await MetricsAsync();
        var health = await api.GetFromJsonAsync<JsonElement>("/healthz");
        await stop.CancelAsync();
        await Task.WhenAll(graders);

        Assert.Equal(ids.Count, await _scratch.CountAsync("status = 'done' AND verdict = 'compile_error'"));
        Assert.Equal(ids.Count, await _scratch.CountAsync("attempts = 1"));
        await using (var c = await _scratch.Db.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT graded FROM graders ORDER BY id", c))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var perGrader = new List<long>();
            while (await reader.ReadAsync())
            {
                perGrader.Add(reader.GetInt64(0));
            }
            Assert.Equal(2, perGrader.Count);
            Assert.Equal(ids.Count, perGrader.Sum());
            Assert.All(perGrader, n => Assert.True(n > 0, "one grader did all the work"));
        }
        var scraped = PrometheusText.Parse(metrics);
        Assert.Equal(0, scraped.Value("bughunt_queue_depth"));
        Assert.Equal(ids.Count, scraped.Value("bughunt_verdicts_total", ("verdict", "compile_error")));
        Assert.Equal(ids.Count, scraped.Value("bughunt_submissions_total", ("kind", "run")));
        Assert.Equal(2, scraped.Value("bughunt_graders_alive"));
        Assert.True(scraped.Value("bughunt_verdict_latency_seconds", ("quantile", "0.5")) > 0);
        Assert.Equal(2, health.GetProperty("graders_alive").GetInt32());
    }

    /// <summary>The scratch database through a proxy that a test cuts; no pooling, so every open after the cut is a new connection.</summary>
    private (TcpProxy Proxy, NpgsqlDataSource Db) ProxiedDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(_scratch.ConnectionString) { Pooling = false, Timeout = 3 };
        var proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, builder.Port));
        builder.Port = proxy.Port;
        return (proxy, BugHuntDatabase.Open(builder.ConnectionString));
    }

    /// <summary>Found by `bughunt chaos`: after a PostgreSQL restart the grader kept its broken LISTEN connection and heard of no new work again.</summary>
    [EndToEndFact]
    public async Task Grader_hears_of_new_work_again_after_the_database_restarts()
    {
        var (proxy, db) = ProxiedDatabase();
        await using var _ = proxy;
        await using var __ = db;
        // It looks at the queue once an hour by itself: new work can only reach it by notification.
        using var grader = GraderInstance.Create(db, Cold, new GraderOptions { PollInterval = TimeSpan.FromHours(1) }, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var running = grader.RunAsync(stop.Token);
        try
        {
            await WaitForListenerAsync(stop.Token);
            proxy.CutOpenConnections();
            await Task.Delay(TimeSpan.FromSeconds(1));

            var (sessionId, id) = await _scratch.SubmitDirectAsync();
            var store = new SubmissionStore(_scratch.Db, TimeProvider.System);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await store.GetAsync(id, sessionId, CancellationToken.None))!.Status != SubmissionStatus.Done)
            {
                Assert.True(DateTime.UtcNow < deadline, "the grader did not hear of the submission queued after its connection was cut");
                await Task.Delay(200);
            }
            Assert.Equal(VerdictKind.Accepted, (await store.GetAsync(id, sessionId, CancellationToken.None))!.Verdict!.Kind);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    /// <summary>Waits until a grader of the scratch database sits in LISTEN (it has prepared what it needs and is idle).</summary>
    private async Task WaitForListenerAsync(CancellationToken ct)
    {
        await using var connection = await _scratch.Db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", connection);
        while ((long)(await command.ExecuteScalarAsync(ct))! == 0)
        {
            await Task.Delay(200, ct);
        }
    }

    /// <summary>Found by `bughunt chaos`: one renewal the restarting database refused made the grader stop renewing, and a job still running went to a second grader.</summary>
    [PostgresFact]
    public async Task Lease_outlives_a_database_outage_shorter_than_the_lease()
    {
        var (_, id) = await _scratch.SubmitDirectAsync();
        var (proxy, db) = ProxiedDatabase();
        await using var _ = proxy;
        await using var __ = db;
        var holder = new SubmissionStore(db, TimeProvider.System);
        var length = TimeSpan.FromSeconds(6);
        Assert.Equal(id, (await holder.ClaimNextAsync("holder", length, CancellationToken.None))!.Id);
        await using var lease = new Lease(length, t => holder.RenewLeaseAsync(id, "holder", length, t), NullLogger.Instance, CancellationToken.None);

        // The renewal due after 2 s meets the outage; the one after 4 s gets through.
        proxy.Stop();
        await Task.Delay(TimeSpan.FromSeconds(3));
        proxy.Start();
        await Task.Delay(TimeSpan.FromSeconds(5));

        // 8 s after the claim, past the lease as first taken: still held, so nobody else can claim the job.
        Assert.Null(await new SubmissionStore(_scratch.Db, TimeProvider.System).ClaimNextAsync("another-grader", length, CancellationToken.None));
        Assert.False(lease.Lost.IsCancellationRequested);
    }

    /// <summary>
    /// Found by `bughunt chaos`: a probe build or reference run that met a restarting database (or
    /// engine) was kept as a failed task, and every later job of that grader process failed with it.
    /// </summary>
    [EndToEndFact]
    public async Task Probe_build_and_reference_run_that_met_an_outage_are_tried_again()
    {
        var (version, _, _) = await _scratch.AttentionInviteAsync();
        var (proxy, db) = ProxiedDatabase();
        await using var _ = proxy;
        await using var __ = db;
        var challenges = new ChallengeStore(db, TimeProvider.System);
        var stored = (await challenges.GetAsync(version, CancellationToken.None))!;
        using var sandbox = new DockerSandbox(Cold, TimeProvider.System);
        using var artifacts = new GradingArtifacts(sandbox, challenges, NullLogger.Instance, TimeProvider.System);

        proxy.Stop();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => artifacts.ProbesAsync(stored, CancellationToken.None));
        proxy.Start();
        var build = await artifacts.ProbesAsync(stored, CancellationToken.None);
        Assert.True(build.Probes is not null, build.Error);

        var seed = GradingPlan.HiddenSeeds(stored.Challenge)[0];
        proxy.Stop();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => artifacts.ReferenceAsync(stored, build.Probes!, seed, CancellationToken.None));
        proxy.Start();
        var reference = await artifacts.ReferenceAsync(stored, build.Probes!, seed, CancellationToken.None);
        Assert.True(reference.Probes is not null, reference.Error);
    }

    /// <summary>
    /// Found by `bughunt chaos`: the runner, as PID 1, ignores SIGTERM, so stopping a sandbox (and
    /// so every restart of the engine) waited out the whole stop timeout before it was killed.
    /// </summary>
    [DockerFact]
    public async Task Sandbox_container_stops_at_once_instead_of_waiting_out_the_stop_timeout()
    {
        var graderId = "stop-" + Guid.NewGuid().ToString("N")[..8];
        using var sandbox = new DockerSandbox(Cold with { GraderId = graderId }, TimeProvider.System);
        var pool = sandbox.StartPool(1, 1024)!;
        Assert.True(await pool.WaitUntilFullAsync(TimeSpan.FromMinutes(2), CancellationToken.None), "the warm container did not start");
        using var docker = new Docker.DotNet.DockerClientConfiguration(Cold.DockerEndpoint).CreateClient();
        var container = (await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DockerSandbox.GraderLabel}={graderId}"] = true } },
        })).Single();

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await docker.Containers.StopContainerAsync(container.ID, new Docker.DotNet.Models.ContainerStopParameters { WaitBeforeKillSeconds = 60 });
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(30), $"stopping the sandbox took {stopping.Elapsed.TotalSeconds:F0} s of its 60 s stop timeout");
        Assert.Equal(137, (await docker.Containers.InspectContainerAsync(container.ID)).State.ExitCode);
    }

    /// <summary>
    /// Found by `bughunt chaos`: while dockerd restarted, graders kept claiming submissions, and each
    /// claim was a failed attempt, so a few seconds of restart used up all of a submission's retries.
    /// </summary>
    [EndToEndFact]
    public async Task Grader_leaves_work_queued_while_its_engine_does_not_answer()
    {
        var (sessionId, id) = await _scratch.SubmitDirectAsync();
        await using var proxy = new TcpProxy(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
        using var worker = Grader(Cold with { DockerEndpoint = new Uri($"tcp://127.0.0.1:{proxy.Port}") });

        proxy.Stop();
        Assert.False(await worker.GradeNextAsync(CancellationToken.None));
        var waiting = await new SubmissionStore(_scratch.Db, TimeProvider.System).GetAsync(id, sessionId, CancellationToken.None);
        Assert.Equal(SubmissionStatus.Queued, waiting!.Status);
        Assert.Equal(0, waiting.Attempts);

        proxy.Start();
        Assert.True(await worker.GradeNextAsync(CancellationToken.None));
        var graded = await new SubmissionStore(_scratch.Db, TimeProvider.System).GetAsync(id, sessionId, CancellationToken.None);
        Assert.Equal(VerdictKind.Accepted, graded!.Verdict!.Kind);
        Assert.Equal(1, graded.Attempts);
    }

    internal static string BuildConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
