using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// A grader killed for good (never started again) leaves exited or never-started sandboxes behind;
/// a grader that keeps running removes them while idle, without waiting for a restart. Machine-wide: with a short
/// orphan age this sweep would take exited sandboxes of other tests' graders (each test has its own
/// database, so they look dead from here), so it runs alone, with the chaos run.
/// </summary>
[Collection(MachineWideFaults.Name)]
public sealed class OrphanSweepTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.PostgresSkipReason is null)
        {
            _scratch = await ScratchDatabase.CreateAsync("orphans");
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
    public async Task Running_grader_removes_exited_sandboxes_of_a_grader_that_is_gone_and_keeps_young_ones()
    {
        var sandbox = SandboxOptions.FromEnvironment() with { WarmPoolSize = 0, GraderId = "sweeper-" + Guid.NewGuid().ToString("N")[..8] };
        using var docker = new DockerClientConfiguration(sandbox.DockerEndpoint).CreateClient();
        var gone = "gone-" + Guid.NewGuid().ToString("N")[..8];
        var old = await ExitedSandboxAsync(docker, sandbox.Image, gone);
        var neverStarted = await SandboxAsync(docker, sandbox.Image, gone);
        var options = new GraderOptions { PollInterval = TimeSpan.FromMilliseconds(200), OrphanAge = TimeSpan.FromSeconds(4), OrphanSweepInterval = TimeSpan.FromSeconds(1) };
        using var grader = GraderInstance.Create(_scratch.Db, sandbox, options, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var running = grader.RunAsync(stop.Token);
        string? young = null;
        try
        {
            // The grader's start sweeps too; the old container is younger than OrphanAge then, so
            // only a sweep while running can take it.
            await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
            Assert.Contains(old, await IdsAsync(docker));
            Assert.Contains(neverStarted, await IdsAsync(docker));
            while (await IdsAsync(docker) is var ids && (ids.Contains(old) || ids.Contains(neverStarted)) && !stop.IsCancellationRequested)
            {
                await Task.Delay(250);
            }
            Assert.False(stop.IsCancellationRequested, "a sandbox of a grader that is gone, exited or never started, was never removed");

            // One that has just exited stays: its grader may be another deployment's, still reading it.
            young = await ExitedSandboxAsync(docker, sandbox.Image, gone);
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            Assert.Contains(young, await IdsAsync(docker));
            Assert.False(running.IsCompleted, "the grader stopped while sweeping");
        }
        finally
        {
            await stop.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var id in new[] { old, neverStarted, young }.OfType<string>())
            {
                try
                {
                    await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
                }
                catch (DockerContainerNotFoundException)
                {
                }
            }
        }
    }

    /// <summary>A sandbox container of <paramref name="grader"/>, created and never started.</summary>
    private static async Task<string> SandboxAsync(DockerClient docker, string image, string grader) =>
        (await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Labels = new Dictionary<string, string> { [DockerSandbox.GraderLabel] = grader, [DockerSandbox.RoleLabel] = "sandbox" },
            HostConfig = new HostConfig { NetworkMode = "none" },
        })).ID;

    /// <summary>A sandbox container of <paramref name="grader"/> that has exited (the runner ends at once with nothing on stdin).</summary>
    private static async Task<string> ExitedSandboxAsync(DockerClient docker, string image, string grader)
    {
        var id = await SandboxAsync(docker, image, grader);
        await docker.Containers.StartContainerAsync(id, new ContainerStartParameters());
        await docker.Containers.WaitContainerAsync(id);
        return id;
    }

    private static async Task<List<string>> IdsAsync(DockerClient docker) =>
        [.. (await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true })).Select(c => c.ID)];
}
