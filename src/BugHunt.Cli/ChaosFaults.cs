using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Docker.DotNet;
using Docker.DotNet.Models;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>The faults a chaos run injects, each for real: processes are killed and paused, servers restarted, a disk filled.</summary>
internal enum FaultKind
{
    GraderKill,
    GraderPause,
    ContainerKill,
    DockerRestart,
    PostgresRestartFast,
    PostgresRestartImmediate,
    ApiKill,
    DiskFull,
}

/// <summary>
/// Injects faults from a seeded schedule: each kind has its own sequence of due times spread over
/// the window (one per slot, at a seeded point in it), so kinds overlap one another while two
/// faults of one kind never do. A fault that finds nothing to break (no sandbox running yet) waits
/// for something to break rather than being skipped, so every kind reaches its count.
/// </summary>
internal sealed class ChaosFaults(ChaosStack stack, NpgsqlDataSource db, Uri dockerEndpoint, string dockerdLog, Action<string> log)
{
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private readonly ConcurrentDictionary<FaultKind, ConcurrentBag<double>> _seconds = new();
    private readonly ConcurrentQueue<string> _failures = new();

    public static string Describe(FaultKind kind) => kind switch
    {
        FaultKind.GraderKill => "grader kill -9 (and a new one)",
        FaultKind.GraderPause => "grader SIGSTOP past its lease",
        FaultKind.ContainerKill => "running sandbox container killed",
        FaultKind.DockerRestart => "dockerd restart",
        FaultKind.PostgresRestartFast => "pg_ctl restart -m fast",
        FaultKind.PostgresRestartImmediate => "pg_ctl restart -m immediate",
        FaultKind.ApiKill => "API kill -9 (and a new one)",
        FaultKind.DiskFull => "grader temp folder full",
        _ => kind.ToString(),
    };

    public int Injected(FaultKind kind) => _injected.GetValueOrDefault(kind);

    /// <summary>Mean and longest time one fault of the kind took from injection to recovery.</summary>
    public (double Mean, double Max) Duration(FaultKind kind) =>
        _seconds.TryGetValue(kind, out var s) && !s.IsEmpty ? (s.Average(), s.Max()) : (0, 0);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Runs every kind's schedule to its end: <paramref name="perKind"/> faults each, due within <paramref name="window"/>.</summary>
    public Task RunAsync(IReadOnlyList<FaultKind> kinds, int perKind, TimeSpan window, int seed, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        return Task.WhenAll(kinds.Select(kind => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, (int)kind));
            var slot = window / perKind;
            for (var i = 0; i < perKind; i++)
            {
                var due = slot * (i + 0.1 + (0.8 * random.NextDouble()));
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, ct);
                }
                var took = Stopwatch.StartNew();
                try
                {
                    await InjectAsync(kind, random, ct);
                    _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);
                    _seconds.GetOrAdd(kind, _ => []).Add(took.Elapsed.TotalSeconds);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _failures.Enqueue($"{Describe(kind)} #{i + 1}: {e.GetType().Name}: {e.Message}");
                    log($"fault {Describe(kind)} could not be injected: {e.Message}");
                }
            }
        }, ct)));
    }

    private Task InjectAsync(FaultKind kind, Random random, CancellationToken ct) => kind switch
    {
        FaultKind.GraderKill => KillGraderAsync(random, ct),
        FaultKind.GraderPause => PauseGraderAsync(random, ct),
        FaultKind.ContainerKill => KillContainerAsync(ct),
        FaultKind.DockerRestart => RestartDockerAsync(ct),
        FaultKind.PostgresRestartFast => stack.Postgres.RestartAsync("fast", ct),
        FaultKind.PostgresRestartImmediate => stack.Postgres.RestartAsync("immediate", ct),
        FaultKind.ApiKill => stack.RestartApiAsync(ct),
        FaultKind.DiskFull => FillDiskAsync(ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A grader in the middle of a job if there is one (that is where a fault hurts), else any.</summary>
    private async Task<int> VictimAsync(Random random, CancellationToken ct)
    {
        var slots = stack.Graders.Count;
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var busy = (await connection.QueryAsync<string>("SELECT DISTINCT lease_owner FROM submissions WHERE status = 'running' AND lease_owner LIKE @prefix",
                new { prefix = stack.RunId + "-g%" })).ToList();
            var candidates = Enumerable.Range(0, slots).Where(s => busy.Contains(stack.GraderId(s))).ToList();
            if (candidates.Count > 0)
            {
                return candidates[random.Next(candidates.Count)];
            }
        }
        catch (NpgsqlException)
        {
            // The database is being restarted by another fault: any grader will do.
        }
        return random.Next(slots);
    }

    private async Task KillGraderAsync(Random random, CancellationToken ct)
    {
        var slot = await VictimAsync(random, ct);
        await stack.Graders[slot].KillAsync();
        stack.StartGrader(slot);
    }

    private async Task PauseGraderAsync(Random random, CancellationToken ct)
    {
        var grader = stack.Graders[await VictimAsync(random, ct)];
        await grader.PauseAsync();
        try
        {
            // Past its lease: another grader takes its job over, and its late verdict must be discarded.
            await Task.Delay(ChaosStack.Lease + TimeSpan.FromSeconds(2), ct);
        }
        finally
        {
            await grader.ResumeAsync();
        }
    }

    /// <summary>docker kill of a container of this run that is running a job (a warm one waits with a quarter of a job's CPU weight).</summary>
    private async Task KillContainerAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var docker = new DockerClientConfiguration(dockerEndpoint).CreateClient();
                foreach (var id in await stack.ContainersAsync(dockerEndpoint, exitedOnly: false, ct))
                {
                    var inspected = await docker.Containers.InspectContainerAsync(id, ct);
                    if (inspected.State.Running && inspected.HostConfig.CPUShares == 1024)
                    {
                        await docker.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, ct);
                        return;
                    }
                }
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
            {
                // The engine is restarting (another fault) or the container just ended: look again.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no sandbox of this run was running a job for 60 s");
            }
            await Task.Delay(200, ct);
        }
    }

    /// <summary>
    /// Stops the machine's dockerd (SIGTERM, as a service manager does) and starts it again the way
    /// scripts/lib.sh does, in a session of its own so that it outlives this command.
    /// </summary>
    private async Task RestartDockerAsync(CancellationToken ct)
    {
        var pid = int.Parse((await File.ReadAllTextAsync("/var/run/docker.pid", ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (!IsRunning(pid) || (await File.ReadAllTextAsync($"/proc/{pid}/comm", ct)).Trim() != "dockerd")
        {
            throw new InvalidOperationException($"/var/run/docker.pid names {pid}, which is not a running dockerd");
        }
        await Signals.SendAsync("TERM", pid);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (IsRunning(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"dockerd ({pid}) did not stop within 90 s");
            }
            await Task.Delay(100, ct);
        }
        await Shell.RunAsync("setsid", ["sh", "-c", $"nohup dockerd --bridge=none --iptables=false --ip-masq=false > '{dockerdLog}' 2>&1 &"], ct);
        using var docker = new DockerClientConfiguration(dockerEndpoint).CreateClient();
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await docker.System.PingAsync(ct);
                return;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    /// <summary>Whether the process exists and has not exited (a zombie waiting for its parent has).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task FillDiskAsync(CancellationToken ct)
    {
        if (!stack.Disk.Mounted)
        {
            throw new InvalidOperationException("the graders' temp folder is not a size-limited mount (needs root)");
        }
        var file = await stack.Disk.FillAsync(ct);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(4), ct);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
