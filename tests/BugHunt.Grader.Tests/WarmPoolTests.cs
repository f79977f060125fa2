using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Grader.Tests;

public sealed class WarmPoolTests
{
    private static Challenge Echo => PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "fixtures", "sandbox-pack")).Challenges.Single();

    private static IReadOnlyDictionary<string, CompiledProbe>? _probes;

    private static SandboxJob Job(Challenge echo, IReadOnlyDictionary<string, string> files)
    {
        _probes ??= Task.Run(async () =>
        {
            using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { WarmPoolSize = 0 }, TimeProvider.System);
            return (await new ProbeBuilds(sandbox).GetAsync(echo, CancellationToken.None)).Probes ?? throw new InvalidOperationException("the echo probes do not build");
        }).GetAwaiter().GetResult();
        return GradingPlan.Job(echo, _probes, files, echo.Tests, 7, DockerSandbox.NewNonce(), 1000);
    }

    [DockerFact]
    public async Task Pooled_container_grades_one_job_warm_and_the_pool_refills()
    {
        var echo = Echo;
        using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { GraderId = "pool-test-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);
        var pool = sandbox.StartPool(1, echo.Limits.MemoryMb)!;
        Assert.True(await pool.WaitUntilFullAsync(TimeSpan.FromSeconds(180), CancellationToken.None), "the pool never filled");

        var cold = await new DockerSandbox(SandboxOptions.FromEnvironment(), TimeProvider.System).RunAsync(Job(echo, echo.ReferenceFiles), echo.Limits, CancellationToken.None);
        var warm = await sandbox.RunAsync(Job(echo, echo.ReferenceFiles), echo.Limits, CancellationToken.None);

        Assert.True(warm.Warm);
        Assert.False(cold.Warm);
        Assert.Null(warm.ProblemAsReference(echo.Probes.Select(p => p.Id)));
        Assert.Equal(
            cold.Probes["double"].Observations["y"].Values,
            warm.Probes["double"].Observations["y"].Values);
        // How much faster warm is, is a timing: `bughunt bench` measures it (docs/operations.md).
        Assert.True(await pool.WaitUntilFullAsync(TimeSpan.FromSeconds(180), CancellationToken.None), "the pool did not refill");
    }

    [DockerFact]
    public async Task A_primed_container_grades_its_job_exactly_and_nothing_of_the_primer_reaches_it()
    {
        var echo = Echo;
        using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { GraderId = "pool-test-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);
        // A primer that prints, leaves gradients off and changes the default dtype: none of it may show.
        var noisy = echo with
        {
            StarterFiles = new Dictionary<string, string>
            {
                ["Solution.cs"] = """
                    using TorchSharp;
                    using static TorchSharp.torch;
                    public static class Solution
                    {
                        public static Tensor Run(Tensor x)
                        {
                            System.Console.WriteLine("PRIMER-MARK");
                            torch.set_grad_enabled(false);
                            torch.set_default_dtype(torch.float64);
                            return x * 3;
                        }
                    }
                    """,
            },
        };
        _ = Job(echo, echo.ReferenceFiles);
        var pool = sandbox.StartPool(1, echo.Limits.MemoryMb)!;
        pool.PrimeWith(GradingPlan.Primer(noisy, _probes!, 1000));
        Assert.True(await pool.WaitUntilFullAsync(TimeSpan.FromSeconds(180), CancellationToken.None), "the pool never filled");

        var primed = await sandbox.RunAsync(Job(echo, echo.ReferenceFiles), echo.Limits, CancellationToken.None);
        var cold = await new DockerSandbox(SandboxOptions.FromEnvironment(), TimeProvider.System).RunAsync(Job(echo, echo.ReferenceFiles), echo.Limits, CancellationToken.None);

        Assert.True(primed.Warm);
        Assert.Null(primed.ProblemAsReference(echo.Probes.Select(p => p.Id)));
        Assert.Equal(cold.Probes["double"].Observations["y"].Values, primed.Probes["double"].Observations["y"].Values);
        Assert.Equal(cold.Probes.Keys.Order(), primed.Probes.Keys.Order());
        Assert.All(primed.Probes.Values, p => Assert.DoesNotContain("PRIMER-MARK", p.Console ?? "", StringComparison.Ordinal));
        Assert.DoesNotContain("PRIMER-MARK", primed.Console ?? "", StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Empty_pool_or_other_limits_still_grade_cold()
    {
        var echo = Echo;
        using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { GraderId = "pool-test-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);
        sandbox.StartPool(1, echo.Limits.MemoryMb + 256);

        // Different memory limit: never served from this pool.
        var run = await sandbox.RunAsync(Job(echo, echo.StarterFiles), echo.Limits, CancellationToken.None);

        Assert.False(run.Warm);
        var verdict = Judge.Decide(echo.Tests, run, (await sandbox.RunAsync(Job(echo, echo.ReferenceFiles), echo.Limits, CancellationToken.None)).Probes);
        Assert.Equal(VerdictKind.WrongAnswer, verdict.Kind);
    }

    [DockerFact]
    public async Task A_warm_container_never_sees_a_second_job()
    {
        var echo = Echo;
        using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { GraderId = "pool-test-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);
        var pool = sandbox.StartPool(1, echo.Limits.MemoryMb)!;
        Assert.True(await pool.WaitUntilFullAsync(TimeSpan.FromSeconds(180), CancellationToken.None));

        var first = await sandbox.RunAsync(Job(echo, echo.StarterFiles), echo.Limits, CancellationToken.None);
        // Taken at once: the refill cannot be warm yet, so this one starts cold in a new container.
        var second = await sandbox.RunAsync(Job(echo, echo.ReferenceFiles), echo.Limits, CancellationToken.None);

        Assert.True(first.Warm);
        Assert.False(second.Warm);
        Assert.NotEqual(first.Probes["double"].Observations["y"].Values, second.Probes["double"].Observations["y"].Values);
    }

    [DockerFact]
    public async Task Exited_containers_of_dead_graders_are_swept_and_others_kept()
    {
        using var docker = new Docker.DotNet.DockerClientConfiguration(SandboxOptions.FromEnvironment().DockerEndpoint).CreateClient();
        async Task<string> ExitedAsync(string grader)
        {
            // The runner exits at once with nothing on stdin, like a dead grader's warm container.
            var id = (await docker.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
            {
                Image = SandboxOptions.FromEnvironment().Image,
                Labels = new Dictionary<string, string> { [DockerSandbox.GraderLabel] = grader, [DockerSandbox.RoleLabel] = "sandbox" },
                HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = "none" },
            })).ID;
            await docker.Containers.StartContainerAsync(id, new Docker.DotNet.Models.ContainerStartParameters());
            await docker.Containers.WaitContainerAsync(id);
            return id;
        }
        var deadGrader = "dead-" + Guid.NewGuid().ToString("N")[..8];
        var dead = await ExitedAsync(deadGrader);
        var live = await ExitedAsync("live-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment() with { GraderId = "sweeper-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);
            // Only deadGrader is dead here, so no other test's containers are touched.
            Assert.Equal(1, await sandbox.SweepOrphansAsync(g => g != deadGrader, TimeSpan.Zero, CancellationToken.None));

            var left = (await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true })).Select(c => c.ID).ToList();
            Assert.DoesNotContain(dead, left);
            Assert.Contains(live, left);

            // Young containers are never swept, whoever they belong to.
            await sandbox.SweepOrphansAsync(_ => false, TimeSpan.FromMinutes(30), CancellationToken.None);
            Assert.Contains(live, (await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true })).Select(c => c.ID));
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(live, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        }
    }
}
