using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace BugHunt.Grader.Sandboxes;

/// <summary>
/// Runs one job in one fresh container with every limit of the design: no network, read-only root,
/// small tmpfs, non-root user, no capabilities, no-new-privileges, memory/CPU/pids caps, and a
/// wall-clock kill from the host. A container never sees a second job.
/// </summary>
public sealed class DockerSandbox(SandboxOptions options) : IDisposable
{
    public const string GraderLabel = "bughunt.grader";
    public const string RoleLabel = "bughunt.role";

    private readonly DockerClient _docker = Client(options);

    /// <summary>
    /// A client for the configured engine. With DOCKER_CERT_PATH set (cert.pem, key.pem, ca.pem, as
    /// the docker CLI uses), a remote engine is reached over mutual TLS.
    /// </summary>
    private static DockerClient Client(SandboxOptions options)
    {
        if (options.DockerCertPath is not { Length: > 0 } certs)
        {
            return new DockerClientConfiguration(options.DockerEndpoint).CreateClient();
        }
        var clientCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
            Path.Combine(certs, "cert.pem"), Path.Combine(certs, "key.pem"));
        var authority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certs, "ca.pem"));
        var credentials = new Docker.DotNet.X509.CertificateCredentials(clientCertificate)
        {
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
            },
        };
        return new DockerClientConfiguration(options.DockerEndpoint, credentials).CreateClient();
    }

    public SandboxOptions Options => options;

    public async Task<bool> IsAvailableAsync(CancellationToken ct)
    {
        try
        {
            await _docker.Images.InspectImageAsync(options.Image, ct);
            return true;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A started container with its attached streams, waiting for its one job on stdin.</summary>
    internal sealed record StartedContainer(string Id, MultiplexedStream Stream, bool Warm);

    /// <summary>Attached warm containers to take jobs from; null runs every job cold.</summary>
    public WarmPool? Pool { get; private set; }

    /// <summary>Keeps <paramref name="size"/> warm containers ready; jobs with another memory limit start cold.</summary>
    public WarmPool? StartPool(int size, int memoryMb)
    {
        Pool?.Dispose();
        Pool = size > 0 ? new WarmPool(this, size, memoryMb) : null;
        return Pool;
    }

    public async Task<SandboxRun> RunAsync(SandboxJob job, SandboxLimits limits, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        StartedContainer? container = null;
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(job, ProtocolJson.Options);
            container = Pool?.TryTake(limits);
            if (container is not null && !await TrySendAsync(container, payload, ct))
            {
                // The pooled container died while idle; the job goes to a fresh one.
                await RemoveAsync(container.Id);
                container = null;
            }
            if (container is null)
            {
                container = await StartAsync(limits, warm: false, ct);
                await SendAsync(container, payload, ct);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(limits.TimeSeconds));
            var reader = new ProtocolReader(job.Nonce, options.MaxProtocolBytes);
            var exit = SandboxExit.Completed;
            string? reason = null;
            try
            {
                var buffer = new byte[64 * 1024];
                while (true)
                {
                    var read = await container.Stream.ReadOutputAsync(buffer, 0, buffer.Length, deadline.Token);
                    if (read.EOF)
                    {
                        break;
                    }
                    if (!reader.Accept(read.Target, buffer.AsSpan(0, read.Count)))
                    {
                        exit = SandboxExit.OutputLimit;
                        reason = $"the sandbox wrote more than {options.MaxProtocolBytes / (1024 * 1024)} MiB of results";
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                exit = SandboxExit.TimedOut;
                reason = $"stopped at the {limits.TimeSeconds} s time limit";
            }
            if (exit != SandboxExit.Completed)
            {
                await KillAsync(container.Id);
            }
            var state = (await _docker.Containers.InspectContainerAsync(container.Id, CancellationToken.None)).State;
            if (exit == SandboxExit.Completed && state.OOMKilled)
            {
                exit = SandboxExit.OutOfMemory;
                reason = $"killed at the {limits.MemoryMb} MiB memory limit";
            }
            else if (exit == SandboxExit.Completed && state.ExitCode == 137 && !reader.Finished)
            {
                // SIGKILL that was neither ours (time limit) nor the kernel's (memory limit):
                // someone stopped the container. Submitted code cannot send it, so this is
                // infrastructure, retried elsewhere, and never the candidate's verdict.
                return SandboxRun.Infrastructure("the sandbox container was killed from outside before it finished", wall.Elapsed.TotalMilliseconds);
            }
            else if (exit == SandboxExit.Completed && state.ExitCode != 0)
            {
                reason = $"the sandbox process exited with code {state.ExitCode}{Signal(state.ExitCode)}";
            }
            if ((reader.Violation ?? (reader.Finished ? reader.Unterminated : null)) is { } violation && exit != SandboxExit.OutputLimit)
            {
                return SandboxRun.Infrastructure("protocol violation: " + violation + reader.Stderr(), wall.Elapsed.TotalMilliseconds) with { Warm = container.Warm };
            }
            if (exit != SandboxExit.Completed || state.ExitCode != 0)
            {
                reason += reader.Stderr();
            }
            var run = SandboxRun.FromEvents(reader.Events, exit, reason, wall.Elapsed.TotalMilliseconds);
            return run with { Warm = container.Warm, ExitCode = state.ExitCode != 0 && exit == SandboxExit.Completed ? state.ExitCode : null };
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException && !ct.IsCancellationRequested)
        {
            return SandboxRun.Infrastructure($"{e.GetType().Name}: {e.Message}", wall.Elapsed.TotalMilliseconds);
        }
        finally
        {
            if (container is not null)
            {
                container.Stream.Dispose();
                await RemoveAsync(container.Id);
            }
        }
    }

    /// <summary>Creates, attaches and starts a container; a warm one loads the runner's engines before its job arrives.</summary>
    internal async Task<StartedContainer> StartAsync(SandboxLimits limits, bool warm, CancellationToken ct)
    {
        var created = await _docker.Containers.CreateContainerAsync(Parameters(limits, warm), ct);
        try
        {
            var stream = await _docker.Containers.AttachContainerAsync(created.ID, tty: false,
                new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, ct);
            await _docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
            return new StartedContainer(created.ID, stream, warm);
        }
        catch
        {
            await RemoveAsync(created.ID);
            throw;
        }
    }

    internal Task RemoveContainerAsync(string id) => RemoveAsync(id);

    private static async Task SendAsync(StartedContainer container, byte[] payload, CancellationToken ct)
    {
        await container.Stream.WriteAsync(payload, 0, payload.Length, ct);
        container.Stream.CloseWrite();
    }

    private static async Task<bool> TrySendAsync(StartedContainer container, byte[] payload, CancellationToken ct)
    {
        try
        {
            await SendAsync(container, payload, ct);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Removes containers left by this grader id (or any grader when null) after a crash.</summary>
    public async Task<int> SweepAsync(string? graderId, CancellationToken ct)
    {
        var filter = graderId is null ? RoleLabel + "=sandbox" : $"{GraderLabel}={graderId}";
        var orphans = await _docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [filter] = true } },
        }, ct);
        foreach (var orphan in orphans)
        {
            await RemoveAsync(orphan.ID);
        }
        return orphans.Count;
    }

    /// <summary>
    /// Removes exited sandbox containers, older than <paramref name="olderThan"/>, whose grader is
    /// not alive: leftovers of a grader killed without cleaning up (its warm containers exit when
    /// their stdin closes). Running containers and young ones are left alone, since a grader of
    /// another deployment on the same engine may still be reading them. Returns how many went.
    /// </summary>
    public async Task<int> SweepOrphansAsync(Func<string, bool> isAlive, TimeSpan olderThan, CancellationToken ct)
    {
        var containers = await _docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [RoleLabel + "=sandbox"] = true },
                ["status"] = new Dictionary<string, bool> { ["exited"] = true },
            },
        }, ct);
        var cutoff = DateTime.UtcNow - olderThan;
        var orphans = containers.Where(c => c.Created.ToUniversalTime() <= cutoff
            && c.Labels.TryGetValue(GraderLabel, out var owner) && owner != options.GraderId && !isAlive(owner)).ToList();
        foreach (var orphan in orphans)
        {
            await RemoveAsync(orphan.ID);
        }
        return orphans.Count;
    }

    public void Dispose()
    {
        Pool?.Dispose();
        _docker.Dispose();
    }

    private CreateContainerParameters Parameters(SandboxLimits limits, bool warm) => new()
    {
        Image = options.Image,
        Cmd = warm ? ["--warm"] : [],
        User = "10001:10001",
        AttachStdin = true,
        AttachStdout = true,
        AttachStderr = true,
        OpenStdin = true,
        StdinOnce = true,
        Tty = false,
        NetworkDisabled = true,
        Labels = new Dictionary<string, string> { [GraderLabel] = options.GraderId, [RoleLabel] = "sandbox" },
        HostConfig = new HostConfig
        {
            NetworkMode = "none",
            ReadonlyRootfs = true,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,noexec,size={options.TmpfsSize}" },
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges"],
            Memory = limits.MemoryMb * 1024L * 1024L,
            MemorySwap = limits.MemoryMb * 1024L * 1024L,
            NanoCPUs = (long)(options.Cpus * 1_000_000_000),
            PidsLimit = options.PidsLimit,
            Ulimits = [new Ulimit { Name = "nofile", Soft = 256, Hard = 256 }, new Ulimit { Name = "core", Soft = 0, Hard = 0 }],
            LogConfig = new LogConfig { Type = "none" },
            IpcMode = "none",
        },
    };

    private async Task KillAsync(string id)
    {
        try
        {
            await _docker.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            // Already stopped, or the engine is gone (and the container with it, or swept later).
        }
    }

    /// <summary>Removes a container; if the engine cannot be reached, the label sweep at the next grader start removes it.</summary>
    private async Task RemoveAsync(string id)
    {
        try
        {
            await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
        }
    }

    private static string Signal(long exitCode) => exitCode > 128 && exitCode < 160 ? $" (signal {exitCode - 128})" : "";

    /// <summary>
    /// Splits the container's stdout into protocol lines and keeps the start and end of stderr for
    /// staff. Stdout is the runner's private channel: a line that does not parse as a nonce-prefixed
    /// event is a protocol violation, recorded with its raw bytes, and the run cannot count.
    /// </summary>
    private sealed class ProtocolReader(string nonce, int maxBytes)
    {
        private const int KeptStderr = 4096;
        private readonly List<byte> _line = [];
        private readonly StringBuilder _stderrHead = new();
        private readonly StringBuilder _stderrTail = new();
        private long _total;

        public List<RunnerEvent> Events { get; } = [];

        /// <summary>The first line that broke the protocol, escaped, or null.</summary>
        public string? Violation { get; private set; }

        public bool Finished => Events.Any(e => e.Type == RunnerEventTypes.Done);

        public bool Accept(MultiplexedStream.TargetStream target, ReadOnlySpan<byte> data)
        {
            _total += data.Length;
            if (_total > maxBytes)
            {
                return false;
            }
            if (target == MultiplexedStream.TargetStream.StandardError)
            {
                var text = Encoding.UTF8.GetString(data);
                if (_stderrHead.Length < KeptStderr)
                {
                    _stderrHead.Append(text.AsSpan(0, Math.Min(text.Length, KeptStderr - _stderrHead.Length)));
                }
                _stderrTail.Append(text);
                if (_stderrTail.Length > 2 * KeptStderr)
                {
                    _stderrTail.Remove(0, _stderrTail.Length - KeptStderr);
                }
                return true;
            }
            foreach (var b in data)
            {
                if (b != (byte)'\n')
                {
                    _line.Add(b);
                    continue;
                }
                var raw = _line.ToArray();
                _line.Clear();
                if (Violation is not null)
                {
                    continue;
                }
                RunnerEvent? e = null;
                try
                {
                    e = ProtocolJson.ParseLine(nonce, Encoding.UTF8.GetString(raw));
                }
                catch (JsonException)
                {
                }
                if (e is null)
                {
                    Violation = $"a line that is not a protocol event ({raw.Length} bytes): {Escape(raw)}";
                }
                else
                {
                    Events.Add(e);
                }
            }
            return true;
        }

        /// <summary>Whatever stdout held after the last newline: after "done" that is a violation too.</summary>
        public string? Unterminated => _line.Count > 0 ? $"an unterminated line ({_line.Count} bytes): {Escape([.. _line])}" : null;

        /// <summary>The runner's stderr as kept for staff: its beginning (the crash report) and its end.</summary>
        public string Stderr()
        {
            var head = _stderrHead.ToString().Trim();
            var tail = _stderrTail.ToString();
            if (tail.Length > KeptStderr)
            {
                tail = tail[^KeptStderr..];
            }
            tail = tail.Trim();
            if (head.Length == 0)
            {
                return "";
            }
            return head.StartsWith(tail, StringComparison.Ordinal) || head.EndsWith(tail, StringComparison.Ordinal) ? "\nstderr:\n" + head : "\nstderr:\n" + head + "\n…\n" + tail;
        }

        private static string Escape(byte[] raw)
        {
            var shown = raw.Length > 512 ? raw[..512] : raw;
            var text = new StringBuilder();
            foreach (var b in shown)
            {
                text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
            }
            return text + (raw.Length > shown.Length ? "…" : "");
        }
    }
}
