using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace BugHunt.Grader.Sandboxes;

/// <summary>
/// Runs one job in one fresh container with every limit of the design (see <see cref="ContainerSpec"/>)
/// and a wall-clock kill from the host. A container never sees a second job. The run is a sequence
/// of named steps: take a warm container or start one, send the job, read the protocol, kill on a
/// limit, inspect how the container ended, remove, classify. A notebook run takes the same steps
/// (DockerSandbox.Notebook.cs).
/// </summary>
public sealed partial class DockerSandbox : IDisposable
{
    public const string GraderLabel = "bughunt.grader";
    public const string RoleLabel = "bughunt.role";

    private readonly DockerClient _docker;
    private readonly SandboxContainers _containers;
    private readonly OrphanSweep _sweep;
    private readonly TimeProvider _clock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _removals = new();

    public DockerSandbox(SandboxOptions options, TimeProvider clock)
    {
        Options = options;
        _clock = clock;
        _docker = EngineClient.Connect(options);
        _containers = new SandboxContainers(_docker, options);
        _sweep = new OrphanSweep(_docker, _containers, options, clock);
    }

    public SandboxOptions Options { get; }

    public async Task<bool> IsAvailableAsync(CancellationToken ct)
    {
        try
        {
            await _docker.Images.InspectImageAsync(Options.Image, ct);
            return true;
        }
        catch (Exception e) when (SandboxContainers.IsEngineFailure(e))
        {
            return false;
        }
    }

    /// <summary>Whether the engine answers at all (it may be restarting); unlike <see cref="IsAvailableAsync"/> it says nothing of the image.</summary>
    public async Task<bool> EngineAnswersAsync(CancellationToken ct)
    {
        try
        {
            await _docker.System.PingAsync(ct);
            return true;
        }
        catch (Exception e) when (SandboxContainers.IsEngineFailure(e))
        {
            return false;
        }
    }

    /// <summary>The content id of the sandbox image (sha256:…): what compiled probes depend on, whatever tag names it.</summary>
    public async Task<string> ImageIdAsync(CancellationToken ct) => (await _docker.Images.InspectImageAsync(Options.Image, ct)).ID;

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The job for one run in this sandbox: the plan's job with a fresh nonce (a forged line from an
    /// earlier run cannot pass for this one's) and this sandbox's console cap.
    /// </summary>
    public SandboxJob JobFor(
        Challenge challenge,
        IReadOnlyDictionary<string, CompiledProbe> probes,
        IReadOnlyDictionary<string, string> files,
        IReadOnlyList<TestSpec> tests,
        long hiddenSeed) =>
        GradingPlan.Job(challenge, probes, files, tests, hiddenSeed, NewNonce(), Options.MaxConsoleChars);

    /// <summary>The job that compiles a challenge's probes against its reference, in this sandbox.</summary>
    public SandboxJob ProbeBuildFor(Challenge challenge) => GradingPlan.ProbeBuild(challenge, NewNonce(), Options.MaxConsoleChars);

    /// <summary>Attached warm containers to take jobs from; null runs every job cold. The sandbox owns it.</summary>
    public WarmPool? Pool { get; private set; }

    /// <summary>Keeps <paramref name="size"/> warm containers ready; jobs with another memory limit start cold.</summary>
    public WarmPool? StartPool(int size, int memoryMb)
    {
        Pool?.Dispose();
        Pool = size > 0 ? new WarmPool(_containers, size, memoryMb, _clock) : null;
        return Pool;
    }

    public async Task<SandboxRun> RunAsync(SandboxJob job, SandboxLimits limits, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        try
        {
            return Classify(await ExecuteAsync(job, limits, null, ct), limits);
        }
        catch (Exception e) when (SandboxContainers.IsEngineFailure(e) && !ct.IsCancellationRequested)
        {
            return SandboxRun.Infrastructure($"{e.GetType().Name}: {e.Message}", wall.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>What one job in one container came to: what was read, how it ended, how long it took. The container is gone when it returns.</summary>
    private sealed record Execution(ProtocolReader Reader, SandboxExit Exit, string? Reason, ContainerState State, bool Warm, double WallMs, IReadOnlyDictionary<string, double> Steps);

    /// <summary>Runs the job in a container of its own, handing each protocol event to <paramref name="onEvent"/> as it is read.</summary>
    private async Task<Execution> ExecuteAsync(SandboxJob job, SandboxLimits limits, Action<RunnerEvent>? onEvent, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var steps = new Dictionary<string, double>();
        var step = Stopwatch.StartNew();
        void Step(string name)
        {
            steps[name] = Math.Round(step.Elapsed.TotalMilliseconds, 1);
            step.Restart();
        }
        StartedContainer? container = null;
        try
        {
            container = await TakeOrStartAsync(JsonSerializer.SerializeToUtf8Bytes(job, ProtocolJson.Options), limits, Step, ct);
            var reader = new ProtocolReader(job.Nonce, Options.MaxProtocolBytes, onEvent);
            var (exit, reason) = await ReadAsync(container, reader, limits, () => Step("run"), ct);
            Step(steps.ContainsKey("run") ? "exit" : "run");
            if (exit != SandboxExit.Completed)
            {
                await _containers.KillAsync(container.Id);
            }
            var state = await _containers.InspectAsync(container.Id);
            Step("inspect");
            return new Execution(reader, exit, reason, state, container.Warm, wall.Elapsed.TotalMilliseconds, steps);
        }
        finally
        {
            if (container is not null)
            {
                // The run is read and inspected: removing the container is cleanup, done after the
                // verdict is on its way rather than before it (RemovalsSettledAsync waits for it).
                container.Stream.Dispose();
                RemoveLater(container.Id);
            }
        }
    }

    /// <summary>Sends the job to a warm container if one fits, else to a container started for it.</summary>
    private async Task<StartedContainer> TakeOrStartAsync(byte[] payload, SandboxLimits limits, Action<string> step, CancellationToken ct)
    {
        if (Pool?.TryTake(limits) is { } pooled)
        {
            var promoted = await _containers.TryPromoteAsync(pooled, ct);
            step("take");
            if (promoted && await SandboxContainers.TrySendAsync(pooled, payload, ct))
            {
                step("send");
                return pooled;
            }
            // The pooled container died while idle; the job goes to a fresh one.
            pooled.Stream.Dispose();
            await _containers.RemoveAsync(pooled.Id);
        }
        var started = await _containers.StartAsync(limits, warm: false, ct);
        step("take");
        try
        {
            await SandboxContainers.SendAsync(started, payload, ct);
            step("send");
            return started;
        }
        catch
        {
            started.Stream.Dispose();
            await _containers.RemoveAsync(started.Id);
            throw;
        }
    }

    /// <summary>Feeds the container's output to the reader until it ends, the time limit passes or the output cap is hit.</summary>
    private async Task<(SandboxExit Exit, string? Reason)> ReadAsync(StartedContainer container, ProtocolReader reader, SandboxLimits limits, Action done, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(limits.TimeSeconds));
        try
        {
            var buffer = new byte[64 * 1024];
            var sawDone = false;
            while (true)
            {
                var read = await container.Stream.ReadOutputAsync(buffer, 0, buffer.Length, deadline.Token);
                if (read.EOF)
                {
                    return (SandboxExit.Completed, null);
                }
                if (!reader.Accept(read.Target, buffer.AsSpan(0, read.Count)))
                {
                    return (SandboxExit.OutputLimit, $"the sandbox wrote more than {Options.MaxProtocolBytes / (1024 * 1024)} MiB of results");
                }
                if (!sawDone && reader.Finished)
                {
                    sawDone = true;
                    done();
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (SandboxExit.TimedOut, $"stopped at the {limits.TimeSeconds} s time limit");
        }
    }

    /// <summary>How a run ended: the exit refined by the engine's account, or why it cannot count at all.</summary>
    private sealed record Ending(SandboxExit Exit, string? Reason, bool ProtocolViolated = false);

    /// <summary>One reading, for submissions and notebooks, of how the container ended.</summary>
    private static Ending End(Execution x, SandboxLimits limits)
    {
        var (exit, reason, state) = (x.Exit, x.Reason, x.State);
        if (exit == SandboxExit.Completed && state.OOMKilled)
        {
            exit = SandboxExit.OutOfMemory;
            reason = $"killed at the {limits.MemoryMb} MiB memory limit";
        }
        else if (exit == SandboxExit.Completed && state.ExitCode == 137 && !x.Reader.Finished)
        {
            // SIGKILL that was neither ours (time limit) nor the kernel's (memory limit):
            // someone stopped the container. Submitted code cannot send it, so this is
            // infrastructure, retried elsewhere, and never the candidate's verdict.
            return new Ending(SandboxExit.InfrastructureFailure, "the sandbox container was killed from outside before it finished");
        }
        else if (exit == SandboxExit.Completed && state.ExitCode != 0)
        {
            reason = $"the sandbox process exited with code {state.ExitCode}{Signal(state.ExitCode)}";
        }
        if ((x.Reader.Violation ?? (x.Reader.Finished ? x.Reader.Unterminated : null)) is { } violation && exit != SandboxExit.OutputLimit)
        {
            return new Ending(SandboxExit.InfrastructureFailure, "protocol violation: " + violation, ProtocolViolated: true);
        }
        return new Ending(exit, reason);
    }

    /// <summary>Turns what was read and how the container ended into the run the judge sees.</summary>
    private static SandboxRun Classify(Execution x, SandboxLimits limits)
    {
        var end = End(x, limits);
        if (end.Exit == SandboxExit.InfrastructureFailure)
        {
            return end.ProtocolViolated
                ? SandboxRun.Infrastructure(end.Reason + x.Reader.Stderr(), x.WallMs) with { Warm = x.Warm }
                : SandboxRun.Infrastructure(end.Reason!, x.WallMs);
        }
        var reason = end.Reason;
        if (end.Exit != SandboxExit.Completed || x.State.ExitCode != 0)
        {
            reason += x.Reader.Stderr();
        }
        var run = SandboxRun.FromEvents(x.Reader.Events, end.Exit, reason, x.WallMs);
        return run with { Warm = x.Warm, HostMs = x.Steps, ExitCode = x.State.ExitCode != 0 && end.Exit == SandboxExit.Completed ? x.State.ExitCode : null };
    }

    private static string Signal(long exitCode) => exitCode > 128 && exitCode < 160 ? $" (signal {exitCode - 128})" : "";

    private void RemoveLater(string id)
    {
        var removal = _containers.RemoveAsync(id);
        _removals[removal] = 0;
        removal.ContinueWith(t => _removals.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Removals of finished containers still under way (they run off the verdict's critical path).</summary>
    public Task RemovalsSettledAsync() => Task.WhenAll(_removals.Keys);

    /// <summary>Removes containers left by this grader id (or any grader when null) after a crash.</summary>
    public Task<int> SweepAsync(string? graderId, CancellationToken ct) => _sweep.OfGraderAsync(graderId, ct);

    /// <summary>Removes exited containers, older than <paramref name="olderThan"/>, of graders that are not alive.</summary>
    public Task<int> SweepOrphansAsync(Func<string, bool> isAlive, TimeSpan olderThan, CancellationToken ct) =>
        _sweep.OfDeadGradersAsync(isAlive, olderThan, ct);

    /// <summary>
    /// Stops the pool, lets removals finish, then removes whatever container still carries this
    /// grader's label: one whose creation was under way when the stop came (the engine creates it
    /// even when its caller has given up) would otherwise outlive the grader until its next start.
    /// </summary>
    public void Dispose()
    {
        Pool?.Dispose();
        RemovalsSettledAsync().Wait(TimeSpan.FromSeconds(30));
        try
        {
            // Never with no id: that would sweep every grader's sandboxes.
            if (!string.IsNullOrEmpty(Options.GraderId))
            {
                _sweep.OfGraderAsync(Options.GraderId, CancellationToken.None).Wait(TimeSpan.FromSeconds(30));
            }
        }
        catch (AggregateException e) when (e.InnerException is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            // The engine is gone: the next start of this grader sweeps what is left.
        }
        _docker.Dispose();
    }
}
