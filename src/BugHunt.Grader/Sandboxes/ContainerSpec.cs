using BugHunt.Core.Packs;
using Docker.DotNet.Models;

namespace BugHunt.Grader.Sandboxes;

/// <summary>
/// The hardening of every sandbox container, in one place: no network, read-only root, a small
/// noexec tmpfs, a non-root user, no capabilities, no-new-privileges, memory (without swap), CPU,
/// pids and file limits, no logs kept by the engine, and labels so orphans can be found.
/// </summary>
internal static class ContainerSpec
{
    /// <summary>The CPU weight of a container with a job (the engine's default).</summary>
    public const long JobCpuShares = 1024;

    /// <summary>
    /// The CPU weight of a warm container loading its runner: a quarter of a job's, so a refill
    /// takes at most a fifth of a core that a job also wants, and still fills the pool on a busy machine.
    /// </summary>
    public const long IdleCpuShares = 256;

    public static CreateContainerParameters For(SandboxOptions options, SandboxLimits limits, bool warm) => new()
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
        Labels = new Dictionary<string, string> { [DockerSandbox.GraderLabel] = options.GraderId, [DockerSandbox.RoleLabel] = "sandbox" },
        // The runner is PID 1 and ignores SIGTERM, so `docker stop` and every restart of the engine
        // waited out the stop timeout (10 s) for it. A sandbox has nothing to save: it is killed.
        StopSignal = "SIGKILL",
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
            // A warm container loads the runner while jobs may be running: it gets little of the CPU
            // they want, until it takes a job of its own (then JobCpuShares).
            CPUShares = warm ? IdleCpuShares : JobCpuShares,
            PidsLimit = options.PidsLimit,
            Ulimits = [new Ulimit { Name = "nofile", Soft = 256, Hard = 256 }, new Ulimit { Name = "core", Soft = 0, Hard = 0 }],
            LogConfig = new LogConfig { Type = "none" },
            IpcMode = "none",
        },
    };
}
