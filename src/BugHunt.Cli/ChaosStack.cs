using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// The private, loopback-only stack a chaos run starts for itself and breaks on purpose: its own
/// PostgreSQL (data folder and port), the API and the graders as child processes, and a small
/// temp folder for the graders. Nothing here touches another PostgreSQL or another grader's containers.
/// </summary>
internal sealed class ChaosStack : IAsyncDisposable
{
    private readonly string _root;
    private readonly List<ChildProcess> _graders = [];
    private readonly string _cli;
    private readonly string _apiPath;
    private readonly string _adminKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private readonly Lock _gate = new();
    private ChildProcess? _api;

    private ChaosStack(string root, PrivatePostgres postgres, TempDisk disk, string runId, int apiPort, string apiPath)
    {
        _root = root;
        Postgres = postgres;
        Disk = disk;
        RunId = runId;
        ApiAddress = new Uri($"http://127.0.0.1:{apiPort}");
        _apiPath = apiPath;
        _cli = Path.Combine(AppContext.BaseDirectory, "bughunt.dll");
    }

    public PrivatePostgres Postgres { get; }

    public TempDisk Disk { get; }

    /// <summary>Prefix of every grader id of this run: containers are only ever touched when their grader label starts with it.</summary>
    public string RunId { get; }

    public Uri ApiAddress { get; }

    public string LogFolder => Path.Combine(_root, "logs");

    /// <summary>How long a grader's lease holds: short, so a paused or killed grader's job returns quickly.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    public static async Task<ChaosStack> StartAsync(string apiPath, int seed, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), $"bughunt-chaos-{seed}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        var postgres = await PrivatePostgres.StartAsync(Path.Combine(root, "pg"), FreePort(), ct);
        var disk = await TempDisk.MountAsync(Path.Combine(root, "grader-tmp"), ct);
        return new ChaosStack(root, postgres, disk, $"chaos-{seed}-{Guid.NewGuid().ToString("N")[..4]}", FreePort(), apiPath);
    }

    public IReadOnlyList<ChildProcess> Graders
    {
        get
        {
            lock (_gate)
            {
                return [.. _graders];
            }
        }
    }

    public string GraderId(int slot) => $"{RunId}-g{slot}";

    /// <summary>Starts the API on this stack's fixed port (the same after every restart) and waits until it answers.</summary>
    public async Task StartApiAsync(CancellationToken ct)
    {
        var start = ServerCommands.ApiStartInfo(_apiPath, ApiAddress.ToString().TrimEnd('/'), _adminKey, quiet: true);
        start.Environment[Core.Database.BugHuntDatabase.ConnectionStringVariable] = Postgres.ConnectionString;
        start.Environment["BUGHUNT_WEBHOOKS_DISPATCH"] = "false";
        _api = ChildProcess.Start(start, Path.Combine(LogFolder, "api.log"));
        using var http = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // 503 while the database restarts still means the process is up.
                using var health = await http.GetAsync("/healthz", ct);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
            }
        }
        throw new InvalidOperationException($"the API did not start (see {LogFolder}/api.log)");
    }

    /// <summary>kill -9 of the API, then a new one on the same port, as a supervisor would.</summary>
    public async Task RestartApiAsync(CancellationToken ct)
    {
        await _api!.KillAsync();
        await StartApiAsync(ct);
    }

    /// <summary>Starts (or restarts, in the same slot and with the same id, as a supervisor would) grader <paramref name="slot"/>.</summary>
    public ChildProcess StartGrader(int slot)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(_cli);
        start.ArgumentList.Add("grader");
        start.Environment[Core.Database.BugHuntDatabase.ConnectionStringVariable] = Postgres.ConnectionString;
        start.Environment["BUGHUNT_GRADER_ID"] = GraderId(slot);
        start.Environment["BUGHUNT_LEASE_SECONDS"] = ((int)Lease.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["BUGHUNT_WARM_POOL"] = "1";
        start.Environment["TMPDIR"] = Disk.Folder;
        var grader = ChildProcess.Start(start, Path.Combine(LogFolder, $"grader-{slot}.log"));
        lock (_gate)
        {
            if (slot < _graders.Count)
            {
                _graders[slot] = grader;
            }
            else
            {
                _graders.Add(grader);
            }
        }
        return grader;
    }

    /// <summary>Sandbox containers of this run's graders on the engine: with <paramref name="exitedOnly"/>, those that ended and were not removed.</summary>
    public async Task<IReadOnlyList<string>> ContainersAsync(Uri dockerEndpoint, bool exitedOnly, CancellationToken ct)
    {
        using var docker = new Docker.DotNet.DockerClientConfiguration(dockerEndpoint).CreateClient();
        var all = await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{Grader.Sandboxes.DockerSandbox.RoleLabel}=sandbox"] = true } },
        }, ct);
        return [.. all.Where(c => c.Labels.TryGetValue(Grader.Sandboxes.DockerSandbox.GraderLabel, out var g) && g.StartsWith(RunId + "-", StringComparison.Ordinal)
            && (!exitedOnly || c.State is "exited" or "dead" or "created")).Select(c => c.ID)];
    }

    /// <summary>Stops everything and leaves nothing behind: the graders are killed, so their containers are removed here.</summary>
    public async Task StopAsync(Uri dockerEndpoint)
    {
        foreach (var grader in Graders)
        {
            await grader.KillAsync();
        }
        if (_api is not null)
        {
            await _api.KillAsync();
        }
        try
        {
            using var docker = new Docker.DotNet.DockerClientConfiguration(dockerEndpoint).CreateClient();
            foreach (var id in await ContainersAsync(dockerEndpoint, exitedOnly: false, CancellationToken.None))
            {
                await docker.Containers.RemoveContainerAsync(id, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true }, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is Docker.DotNet.DockerApiException or HttpRequestException or IOException)
        {
            // The engine is away; the containers carry this run's labels for `docker rm`.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(Grader.Sandboxes.SandboxOptions.FromEnvironment().DockerEndpoint);
        await Disk.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A child process whose output goes to a log file, and that can be killed (-9), paused and resumed for real.</summary>
internal sealed class ChildProcess
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(ProcessStartInfo start, string log)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (gate)
            {
                writer.WriteLine(line);
            }
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);
    }

    /// <summary>SIGKILL: no cleanup, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            // A stopped process still dies of SIGKILL.
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public Task PauseAsync() => Signals.SendAsync("STOP", _process.Id);

    public Task ResumeAsync() => Signals.SendAsync("CONT", _process.Id);
}

/// <summary>Signals by name through kill(1): .NET can only send SIGKILL itself.</summary>
internal static class Signals
{
    public static Task SendAsync(string signal, int pid) => Shell.RunAsync("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None, check: false);
}

internal static class Shell
{
    /// <summary>Runs a program to its end; its output, or an error naming it when it fails (unless <paramref name="check"/> is false).</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, CancellationToken ct, bool check = true)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (check && process.ExitCode != 0)
        {
            var said = ((await error) + (await output)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            throw new InvalidOperationException($"{Path.GetFileName(start.ArgumentList.FirstOrDefault(a => a.StartsWith('/')) ?? file)} failed ({process.ExitCode}): {string.Join(" / ", said.Take(3))}");
        }
        return await output;
    }

    public static bool IsRoot => Environment.UserName == "root";
}

/// <summary>
/// A PostgreSQL 15 of the run's own: initdb into a fresh folder (as the postgres user when running
/// as root, as scripts/lib.sh does), loopback only, password auth; restarted for real with pg_ctl.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly string Bin = Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";
    private readonly string _data;
    private readonly SemaphoreSlim _restarting = new(1);

    private PrivatePostgres(string data, string connectionString)
    {
        _data = data;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static bool IsInstalled => File.Exists(Path.Combine(Bin, "pg_ctl"));

    public static async Task<PrivatePostgres> StartAsync(string data, int port, CancellationToken ct)
    {
        if (!IsInstalled)
        {
            throw new UsageException($"PostgreSQL 15 is not installed at {Bin} (set PG_BIN)");
        }
        Directory.CreateDirectory(data);
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var pwfile = Path.Combine(Path.GetDirectoryName(data)!, "pg-password");
        await File.WriteAllTextAsync(pwfile, password, ct);
        if (Shell.IsRoot)
        {
            await Shell.RunAsync("chown", ["postgres:", data, pwfile], ct);
            await Shell.RunAsync("chmod", ["711", Path.GetDirectoryName(data)!], ct);
        }
        await AsPostgresAsync("initdb", ["-D", data, "-U", "bughunt", $"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"], ct);
        File.Delete(pwfile);
        var server = new PrivatePostgres(data, $"Host=127.0.0.1;Port={port};Username=bughunt;Password={password};Database=bughunt_chaos;Timeout=5;Command Timeout=30");
        await AsPostgresAsync("pg_ctl", ["-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{data}' -c max_connections=300 -c fsync=on", "start"], ct);
        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString);
        await admin.CreateCommand("CREATE DATABASE bughunt_chaos").ExecuteNonQueryAsync(ct);
        return server;
    }

    /// <summary>
    /// pg_ctl restart: <c>fast</c> disconnects every client and checkpoints, <c>immediate</c> is a
    /// crash followed by recovery. One at a time: a second pg_ctl would stop the server the first is
    /// starting, and neither would start it.
    /// </summary>
    public async Task RestartAsync(string mode, CancellationToken ct)
    {
        await _restarting.WaitAsync(ct);
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", _data, "-l", Path.Combine(_data, "server.log"), "-w", "-t", "120", "-m", mode, "restart"], ct);
        }
        finally
        {
            _restarting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AsPostgresAsync("pg_ctl", ["-D", _data, "-w", "-m", "immediate", "stop"], CancellationToken.None, check: false);
        Directory.Delete(_data, recursive: true);
    }

    private static Task<string> AsPostgresAsync(string program, string[] args, CancellationToken ct, bool check = true) =>
        Shell.IsRoot
            ? Shell.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, program), .. args], ct, check)
            : Shell.RunAsync(Path.Combine(Bin, program), args, ct, check);
}

/// <summary>
/// The graders' temp folder (their TMPDIR) on a 4 MiB tmpfs, so that it can really be filled: a
/// full disk the graders must live through. Without root there is no mount, and no such fault.
/// </summary>
internal sealed class TempDisk : IAsyncDisposable
{
    private TempDisk(string folder, bool mounted)
    {
        Folder = folder;
        Mounted = mounted;
    }

    public string Folder { get; }

    public bool Mounted { get; }

    public static async Task<TempDisk> MountAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        if (!Shell.IsRoot)
        {
            return new TempDisk(folder, mounted: false);
        }
        await Shell.RunAsync("mount", ["-t", "tmpfs", "-o", "size=4m,mode=1777", "tmpfs", folder], ct);
        return new TempDisk(folder, mounted: true);
    }

    /// <summary>Writes a file until the disk refuses (ENOSPC); the file is the fault, deleting it is the recovery.</summary>
    public async Task<string> FillAsync(CancellationToken ct)
    {
        var path = Path.Combine(Folder, $"fill-{Guid.NewGuid():N}");
        var chunk = new byte[64 * 1024];
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew);
            while (true)
            {
                await file.WriteAsync(chunk, ct);
                await file.FlushAsync(ct);
            }
        }
        catch (IOException)
        {
            return path;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Mounted)
        {
            await Shell.RunAsync("umount", ["-l", Folder], CancellationToken.None, check: false);
        }
    }
}
