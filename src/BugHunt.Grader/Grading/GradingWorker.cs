using System.Diagnostics;
using BugHunt.Core.Grading;
using BugHunt.Core.Operations;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BugHunt.Grader.Grading;

/// <summary>
/// Claims queued submissions, grades each in a fresh sandbox, and records exactly one verdict.
/// Stateless: several workers, in one process or on several machines, coordinate only through the
/// submissions table.
/// Built by <see cref="GraderInstance.Create"/>.
/// </summary>
internal sealed class GradingWorker(
    NpgsqlDataSource db,
    SubmissionStore submissions,
    ChallengeStore challenges,
    OperationsStore operations,
    DockerSandbox sandbox,
    GradingArtifacts artifacts,
    GraderOptions options,
    ILogger<GradingWorker> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await operations.HeartbeatAsync(sandbox.Options.GraderId, null, graded: false, ct);
        var swept = await sandbox.SweepAsync(sandbox.Options.GraderId, ct) + await SweepDeadGradersAsync(ct);
        var lastSweep = Stopwatch.StartNew();
        if (sandbox.Pool is null)
        {
            sandbox.StartPool(sandbox.Options.WarmPoolSize, sandbox.Options.WarmPoolMemoryMb);
        }
        logger.LogInformation("Grader {Grader} started (image {Image}); removed {Swept} leftover containers", sandbox.Options.GraderId, sandbox.Options.Image, swept);
        await using var listener = new QueueListener(db);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await operations.HeartbeatAsync(sandbox.Options.GraderId, null, graded: false, ct);
                // Idle: prepare what assessments will need (probes, reference observations) before
                // a candidate's submission has to wait for it.
                if (await GradeNextAsync(ct) || await artifacts.PrepareNextAsync(ct))
                {
                    continue;
                }
                // Idle, too: the leftover sandboxes of a grader that was killed and never started
                // again would otherwise stay on the engine until some grader restarts.
                if (lastSweep.Elapsed >= options.OrphanSweepInterval)
                {
                    lastSweep.Restart();
                    if (await SweepDeadGradersAsync(ct) is > 0 and var removed)
                    {
                        logger.LogInformation("Removed {Removed} leftover sandboxes of graders that are gone", removed);
                    }
                }
                await listener.WaitAsync(options.PollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Database unavailable; retrying");
                await Task.Delay(options.PollInterval, ct);
            }
            catch (Exception e) when (SandboxContainers.IsEngineFailure(e))
            {
                // Preparing artifacts met an engine that is restarting: an outage, not a failure.
                logger.LogWarning("Docker engine unavailable ({Error}); retrying", e.Message);
                await Task.Delay(options.PollInterval, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The edge of the grader: whatever went wrong with one submission, the worker
                // lives on; that submission's lease expires and it is graded again.
                logger.LogError(e, "Grading failed unexpectedly; continuing");
                await Task.Delay(options.PollInterval, ct);
            }
        }
    }

    /// <summary>Removes exited or never-started sandboxes, older than <see cref="GraderOptions.OrphanAge"/>, of graders no longer alive.</summary>
    private async Task<int> SweepDeadGradersAsync(CancellationToken ct)
    {
        var alive = (await operations.GradersAsync(ct)).Where(g => g.Alive).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        return await sandbox.SweepOrphansAsync(alive.Contains, options.OrphanAge, ct);
    }

    /// <summary>Grades one queued submission if there is one; false when the queue is empty.</summary>
    public async Task<bool> GradeNextAsync(CancellationToken ct)
    {
        var owner = sandbox.Options.GraderId;
        // While the engine is away (restarting), a claim could only end in a failed attempt and use
        // up one of the submission's retries: the work stays queued until an engine answers.
        if (!await sandbox.EngineAnswersAsync(ct))
        {
            return false;
        }
        var claimed = await submissions.ClaimNextAsync(owner, options.Lease, ct);
        if (claimed is null)
        {
            return false;
        }
        await operations.HeartbeatAsync(owner, claimed.Id, graded: false, ct);
        // The work goes on when the lease is lost: only the holder can record a verdict, so a late one is discarded.
        await using (new Lease(options.Lease, async t =>
        {
            await operations.HeartbeatAsync(owner, claimed.Id, graded: false, t);
            var held = await submissions.RenewLeaseAsync(claimed.Id, owner, options.Lease, t);
            if (!held)
            {
                logger.LogWarning("Lease on submission {Id} was lost", claimed.Id);
            }
            return held;
        }, logger, ct))
        {
            Verdict verdict;
            try
            {
                verdict = await GradeAsync(claimed, ct);
            }
            catch (Exception e) when (e is Docker.DotNet.DockerApiException or HttpRequestException or IOException or TimeoutException && !ct.IsCancellationRequested)
            {
                verdict = Judge.Decide([], SandboxRun.Infrastructure($"{e.GetType().Name}: {e.Message}"), new Dictionary<string, ProbeReport>());
            }
            if (verdict.Kind == VerdictKind.SandboxError && claimed.Attempts < options.MaxAttempts)
            {
                // Infrastructure failed: back to the queue for another attempt, here or on another
                // grader, after a pause. Only after MaxAttempts is SandboxError the final verdict.
                logger.LogWarning("Submission {Id} attempt {Attempt} failed in the sandbox: {Detail}", claimed.Id, claimed.Attempts, verdict.Detail ?? verdict.Message);
                await Task.Delay(options.RetryDelay, ct);
                await submissions.ReleaseAsync(claimed.Id, owner, ct);
                return true;
            }
            var recorded = await submissions.CompleteAsync(claimed.Id, owner, verdict, ct);
            await operations.HeartbeatAsync(owner, null, graded: recorded, ct);
            logger.LogInformation("Submission {Id}: {Verdict} ({Score:P0}) in {Ms:F0} ms{Lost}", claimed.Id, verdict.Kind, verdict.Score, verdict.Timings.WallMs, recorded ? "" : " — lease lost, verdict discarded");
            return true;
        }
    }

    private async Task<Verdict> GradeAsync(ClaimedSubmission claimed, CancellationToken ct)
    {
        var version = await challenges.GetAsync(claimed.ChallengeVersionId, ct)
            ?? throw new InvalidOperationException($"challenge version {claimed.ChallengeVersionId} does not exist");
        var challenge = version.Challenge;
        var tests = claimed.Kind == "run" ? challenge.PublicTests.ToList() : challenge.Tests.ToList();
        // Hidden inputs differ per submission: a seed from the version's pool, recorded on the verdict.
        // A run has no hidden probe, so it takes the pool's first seed and shares that reference run.
        var pool = GradingPlan.HiddenSeeds(version.Challenge);
        var hiddenSeed = claimed.Kind == "run" ? pool[0] : pool[System.Security.Cryptography.RandomNumberGenerator.GetInt32(pool.Count)];
        var build = await artifacts.ProbesAsync(version, ct);
        if (build.Probes is null)
        {
            return Judge.Decide(tests, SandboxRun.Infrastructure(build.Error!), new Dictionary<string, ProbeReport>());
        }
        // The next pooled container warms up on this challenge: most likely the next job's too.
        sandbox.Pool?.PrimeWith(GradingPlan.Primer(challenge, build.Probes, sandbox.Options.MaxConsoleChars));
        var reference = await artifacts.ReferenceAsync(version, build.Probes, hiddenSeed, ct);
        if (reference.Error is not null)
        {
            return Judge.Decide(tests, SandboxRun.Infrastructure(reference.Error), new Dictionary<string, ProbeReport>());
        }
        // Files the candidate did not send are taken from the starter: they were never edited.
        var files = SubmittedFiles.Overlay(challenge.StarterFiles, claimed.Files);
        var job = sandbox.JobFor(challenge, build.Probes, files, tests, hiddenSeed);
        var run = await sandbox.RunAsync(job, challenge.Limits, ct);
        return Judge.Decide(tests, run, reference.Probes!) with { Seeds = new ProbeSeeds(GradingPlan.PublicSeed, hiddenSeed) };
    }
}
