using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit;

namespace BugHunt.Grader.Tests;

/// <summary>
/// A tiny challenge (tests/fixtures/sandbox-pack/echo: double a tensor) graded through real
/// sandboxes, with its reference observations computed once. Small and fast, so attacks cost only
/// their own time.
/// </summary>
public sealed class EchoSandbox : IAsyncLifetime
{
    public DockerSandbox Sandbox { get; } = new(SandboxOptions.FromEnvironment() with { GraderId = "hostile-tests-" + Guid.NewGuid().ToString("N")[..8] }, TimeProvider.System);

    public Challenge Echo { get; private set; } = null!;

    public IReadOnlyDictionary<string, ProbeReport> Reference { get; private set; } = null!;

    /// <summary>The echo probes, compiled once against the reference like a grader does per version.</summary>
    public IReadOnlyDictionary<string, CompiledProbe> Probes { get; private set; } = null!;

    public const long HiddenSeed = 7;

    public async Task InitializeAsync()
    {
        Echo = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "fixtures", "sandbox-pack")).Challenges.Single();
        if (TestEnvironment.DockerSkipReason is not null)
        {
            return;
        }
        var build = await new ProbeBuilds(Sandbox).GetAsync(Echo, CancellationToken.None);
        Assert.True(build.Probes is not null, build.Error);
        Probes = build.Probes;
        var run = await RunAsync(Echo.ReferenceFiles);
        Assert.Null(run.ProblemAsReference(Echo.Probes.Select(p => p.Id)));
        Reference = run.Probes;
    }

    public Task DisposeAsync()
    {
        Sandbox.Dispose();
        return Task.CompletedTask;
    }

    public SandboxJob Job(IReadOnlyDictionary<string, string> files) =>
        Sandbox.JobFor(Echo, Probes, files, Echo.Tests, HiddenSeed);

    public Task<SandboxRun> RunAsync(IReadOnlyDictionary<string, string> files) =>
        Sandbox.RunAsync(Job(files), Echo.Limits, CancellationToken.None);

    public async Task<Verdict> GradeAsync(string solution) =>
        Judge.Decide(Echo.Tests, await RunAsync(new Dictionary<string, string> { ["Solution.cs"] = solution }), Reference);

    /// <summary>Containers of this grader still present: a healthy grader leaves none behind.</summary>
    public async Task<int> LeftoverContainersAsync()
    {
        await Sandbox.RemovalsSettledAsync();
        using var docker = new DockerClientConfiguration(Sandbox.Options.DockerEndpoint).CreateClient();
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DockerSandbox.GraderLabel}={Sandbox.Options.GraderId}"] = true } },
        });
        return list.Count;
    }
}
