using BugHunt.Core.Authoring;
using BugHunt.Core.Notebooks;
using BugHunt.Core.Operations;
using BugHunt.Core.Packs;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BugHunt.Grader.Grading;

/// <summary>
/// One grader: a sandbox on its engine and the worker that claims submissions for it. This is the
/// grader's object graph, built here once for the grader command, serve, bench, load and the tests.
/// Disposing it removes the grader's warm containers.
/// </summary>
public sealed class GraderInstance : IDisposable
{
    private readonly GradingWorker _worker;
    private readonly Packs.PackValidationWorker _validations;
    private readonly NotebookWorker _notebooks;

    private GraderInstance(DockerSandbox sandbox, GradingWorker worker, Packs.PackValidationWorker validations, NotebookWorker notebooks)
    {
        Sandbox = sandbox;
        _worker = worker;
        _validations = validations;
        _notebooks = notebooks;
    }

    public DockerSandbox Sandbox { get; }

    public string Id => Sandbox.Options.GraderId;

    /// <summary>What grading needs besides the submission, shared by the graders of this process.</summary>
    public GradingArtifacts Artifacts { get; private init; } = null!;

    private bool _ownsArtifacts;

    public static GraderInstance Create(NpgsqlDataSource db, SandboxOptions sandbox, GraderOptions options, TimeProvider clock, ILoggerFactory loggers) =>
        Create(db, sandbox, options, clock, loggers, shared: null);

    private static GraderInstance Create(NpgsqlDataSource db, SandboxOptions sandbox, GraderOptions options, TimeProvider clock, ILoggerFactory loggers, GradingArtifacts? shared)
    {
        var docker = new DockerSandbox(sandbox, clock);
        var challenges = new ChallengeStore(db, clock);
        var artifacts = shared ?? new GradingArtifacts(docker, challenges, loggers.CreateLogger<GradingArtifacts>(), clock);
        var worker = new GradingWorker(db, new SubmissionStore(db, clock), challenges, new OperationsStore(db, clock),
            docker, artifacts, options, loggers.CreateLogger<GradingWorker>());
        var validations = new Packs.PackValidationWorker(new PackValidationStore(db, clock), docker, options.PollInterval, loggers.CreateLogger<Packs.PackValidationWorker>());
        var notebooks = new NotebookWorker(new NotebookStore(db, clock), new ChallengeStore(db, clock), docker, options.PollInterval, loggers.CreateLogger<NotebookWorker>());
        return new GraderInstance(docker, worker, validations, notebooks) { Artifacts = artifacts, _ownsArtifacts = shared is null };
    }

    /// <summary>
    /// Several graders in one process (bench, load), each with an id of its own: a grader sweeps the
    /// containers labelled with its id when it starts, so two sharing one would remove each other's.
    /// They share one <see cref="GradingArtifacts"/>: a version's probes and reference runs are computed once.
    /// </summary>
    public static List<GraderInstance> CreateMany(int count, NpgsqlDataSource db, SandboxOptions sandbox, GraderOptions options, TimeProvider clock, ILoggerFactory loggers)
    {
        var graders = new List<GraderInstance>();
        for (var i = 0; i < count; i++)
        {
            graders.Add(Create(db, sandbox with { GraderId = $"{sandbox.GraderId}-{i}" }, options, clock, loggers, graders.FirstOrDefault()?.Artifacts));
        }
        return graders;
    }

    /// <summary>
    /// Grades until cancelled: sweeps leftovers, fills the warm pool, then claims and grades; beside
    /// that, validates packs uploaded through the API, one at a time. Cancelling it is how a grader
    /// stops, at any point of its start-up too, and that ends it quietly.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(_worker.RunAsync(ct), _validations.RunAsync(ct), _notebooks.RunAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Validates one uploaded pack if one is queued; false when none is.</summary>
    public Task<bool> ValidateNextPackAsync(CancellationToken ct) => _validations.ValidateNextAsync(ct);

    /// <summary>Grades one queued submission if there is one; false when the queue is empty.</summary>
    public Task<bool> GradeNextAsync(CancellationToken ct) => _worker.GradeNextAsync(ct);

    public void Dispose()
    {
        if (_ownsArtifacts)
        {
            Artifacts.Dispose();
        }
        Sandbox.Dispose();
    }
}
