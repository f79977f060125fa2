using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
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
    private NpgsqlDataSource _db = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        if (TestEnvironment.PostgresSkipReason is not null)
        {
            return;
        }
        _database = "bughunt_faults_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl))
        {
            await admin.CreateCommand($"CREATE DATABASE {_database}").ExecuteNonQueryAsync();
        }
        _db = BugHuntDatabase.Open(new NpgsqlConnectionStringBuilder(TestEnvironment.DatabaseUrl) { Database = _database }.ConnectionString);
        await Migrator.MigrateAsync(_db, Migrator.Embedded(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_database.Length == 0)
        {
            return;
        }
        await _db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl);
        await admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)").ExecuteNonQueryAsync();
    }

    [EndToEndFact]
    public async Task Submission_whose_sandbox_keeps_failing_ends_in_one_explicit_SandboxError()
    {
        var clock = TimeProvider.System;
        var challenges = new ChallengeStore(_db, clock);
        var pack = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"));
        var version = (await challenges.ImportAsync(pack, CancellationToken.None)).Single(c => c.ChallengeId == "causal-attention").VersionId;
        var assessment = await new AssessmentStore(_db, clock).CreateAsync(new NewAssessment("faults", 90, 600, 0, false, "", new ProctoringRequirements(false, false), [new NewLevel(version, 100, 1)]), CancellationToken.None);
        var sessions = new SessionStore(_db, clock);
        var (opened, _) = await sessions.OpenAsync(await sessions.CreateInviteAsync(assessment, "x", null, 0, false, CancellationToken.None), CancellationToken.None);
        await sessions.StartAsync(opened!.SessionId, CancellationToken.None);
        var store = new SubmissionStore(_db, clock);
        var enqueued = await store.EnqueueAsync(new NewSubmission(opened.SessionId, 1, version, "submit", new Dictionary<string, string> { ["Attention.cs"] = "class A {}" }, null), new SubmissionRules(), CancellationToken.None);

        // A grader whose sandbox image does not exist: every attempt is an infrastructure failure.
        using var broken = new DockerSandbox(new SandboxOptions { Image = "bughunt-sandbox:does-not-exist", WarmPoolSize = 0 });
        var options = new GraderOptions { MaxAttempts = 3, RetryDelay = TimeSpan.Zero };
        var worker = new GradingWorker(_db, store, challenges, broken, options, NullLogger<GradingWorker>.Instance);
        var claims = 0;
        while (await worker.GradeNextAsync(CancellationToken.None))
        {
            claims++;
            Assert.True(claims <= options.MaxAttempts, "the submission was claimed more often than MaxAttempts");
        }

        var submission = await store.GetAsync(enqueued.Id!.Value, opened.SessionId, CancellationToken.None);
        Assert.Equal(options.MaxAttempts, claims);
        Assert.Equal(SubmissionStatus.Done, submission!.Status);
        Assert.Equal(options.MaxAttempts, submission.Attempts);
        Assert.Equal(VerdictKind.SandboxError, submission.Verdict!.Kind);
        Assert.Contains("grading infrastructure failed", submission.Verdict.Message, StringComparison.Ordinal);
        // The final verdict is never the candidate's fault: it scores nothing and changes no level.
        Assert.Equal("unlocked", (await sessions.LevelsAsync(opened.SessionId, CancellationToken.None)).Single().State);
    }

    [EndToEndFact]
    public async Task Lease_of_a_grader_that_died_mid_run_returns_the_job_to_another_grader()
    {
        var clock = TimeProvider.System;
        var challenges = new ChallengeStore(_db, clock);
        var pack = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"));
        var version = (await challenges.ImportAsync(pack, CancellationToken.None)).Single(c => c.ChallengeId == "causal-attention").VersionId;
        var assessment = await new AssessmentStore(_db, clock).CreateAsync(new NewAssessment("lease", 90, 600, 0, false, "", new ProctoringRequirements(false, false), [new NewLevel(version, 100, 1)]), CancellationToken.None);
        var sessions = new SessionStore(_db, clock);
        var (opened, _) = await sessions.OpenAsync(await sessions.CreateInviteAsync(assessment, "x", null, 0, false, CancellationToken.None), CancellationToken.None);
        await sessions.StartAsync(opened!.SessionId, CancellationToken.None);
        var store = new SubmissionStore(_db, clock);
        var id = (await store.EnqueueAsync(new NewSubmission(opened.SessionId, 1, version, "submit", pack.Challenges.Single(c => c.Id == "causal-attention").ReferenceFiles, null), new SubmissionRules(), CancellationToken.None)).Id!.Value;

        // A grader claims it with a short lease and dies without a word.
        var dead = await store.ClaimNextAsync("grader-that-died", TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(id, dead!.Id);
        Assert.Null(await store.ClaimNextAsync("eager-grader", TimeSpan.FromSeconds(30), CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using var sandbox = new DockerSandbox(new SandboxOptions { WarmPoolSize = 0 });
        var worker = new GradingWorker(_db, store, challenges, sandbox, new GraderOptions(), NullLogger<GradingWorker>.Instance);
        Assert.True(await worker.GradeNextAsync(CancellationToken.None));
        // The dead grader's late verdict, should it ever come, is discarded.
        Assert.False(await store.CompleteAsync(id, "grader-that-died", Judge.Decide([], SandboxRun.Infrastructure("late"), new Dictionary<string, ProbeReport>()), CancellationToken.None));

        var submission = await store.GetAsync(id, opened.SessionId, CancellationToken.None);
        Assert.Equal(VerdictKind.Accepted, submission!.Verdict!.Kind);
        Assert.Equal(2, submission.Attempts);
        Assert.Equal("passed", (await sessions.LevelsAsync(opened.SessionId, CancellationToken.None)).Single().State);
    }
}
