using BugHunt.Core.Packs;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace BugHunt.Grader.Sandboxes;

/// <summary>A started container with its attached streams, waiting for its one job on stdin.</summary>
internal sealed record StartedContainer(string Id, MultiplexedStream Stream, bool Warm);

/// <summary>
/// The container operations of one grader on its engine: start (hardened by <see cref="ContainerSpec"/>),
/// send the job, kill, inspect, remove. Shared by the sandbox and its warm pool, owned by the sandbox.
/// </summary>
internal sealed class SandboxContainers(DockerClient docker, SandboxOptions options)
{
    /// <summary>Creates, attaches and starts a container; a warm one loads the runner's engines before its job arrives.</summary>
    public async Task<StartedContainer> StartAsync(SandboxLimits limits, bool warm, CancellationToken ct)
    {
        var created = await docker.Containers.CreateContainerAsync(ContainerSpec.For(options, limits, warm), ct);
        try
        {
            var stream = await docker.Containers.AttachContainerAsync(created.ID, tty: false,
                new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, ct);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
            return new StartedContainer(created.ID, stream, warm);
        }
        catch
        {
            await RemoveAsync(created.ID);
            throw;
        }
    }

    /// <summary>Gives a warm container that takes a job the CPU weight of a job; false when it has gone.</summary>
    public async Task<bool> TryPromoteAsync(StartedContainer container, CancellationToken ct)
    {
        try
        {
            await docker.Containers.UpdateContainerAsync(container.Id, new ContainerUpdateParameters { CPUShares = ContainerSpec.JobCpuShares }, ct);
            return true;
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            return false;
        }
    }

    /// <summary>Writes the job to the container's stdin and closes it: a container gets exactly one job.</summary>
    public static async Task SendAsync(StartedContainer container, byte[] payload, CancellationToken ct)
    {
        await container.Stream.WriteAsync(payload, 0, payload.Length, ct);
        container.Stream.CloseWrite();
    }

    /// <summary>Like <see cref="SendAsync"/>, false when the container has already gone.</summary>
    public static async Task<bool> TrySendAsync(StartedContainer container, byte[] payload, CancellationToken ct)
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

    /// <summary>How the container ended; read after it exited or was killed, so it is not cancelled.</summary>
    public async Task<ContainerState> InspectAsync(string id) =>
        (await docker.Containers.InspectContainerAsync(id, CancellationToken.None)).State;

    public async Task KillAsync(string id)
    {
        try
        {
            await docker.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            // Already stopped, or the engine is gone (and the container with it, or swept later).
        }
    }

    /// <summary>Removes a container; if the engine cannot be reached, the label sweep at the next grader start removes it.</summary>
    public async Task RemoveAsync(string id)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
        }
    }

    /// <summary>The failures that mean the engine, not our code, went wrong.</summary>
    public static bool IsEngineFailure(Exception e) => e is DockerApiException or HttpRequestException or IOException or TimeoutException;
}
