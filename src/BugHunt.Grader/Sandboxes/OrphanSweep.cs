using Docker.DotNet;
using Docker.DotNet.Models;

namespace BugHunt.Grader.Sandboxes;

/// <summary>Finds sandbox containers by label and removes those no grader will read again.</summary>
internal sealed class OrphanSweep(DockerClient docker, SandboxContainers containers, SandboxOptions options, TimeProvider clock)
{
    /// <summary>Removes containers left by this grader id (or any grader when null) after a crash.</summary>
    public async Task<int> OfGraderAsync(string? graderId, CancellationToken ct)
    {
        var filter = graderId is null ? DockerSandbox.RoleLabel + "=sandbox" : $"{DockerSandbox.GraderLabel}={graderId}";
        var orphans = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [filter] = true } },
        }, ct);
        foreach (var orphan in orphans)
        {
            await containers.RemoveAsync(orphan.ID);
        }
        return orphans.Count;
    }

    /// <summary>
    /// Removes exited (or never started) sandbox containers, older than <paramref name="olderThan"/>,
    /// whose grader is not alive: leftovers of a grader killed without cleaning up (its warm
    /// containers exit when their stdin closes). Running containers and young ones are left alone, since a grader of
    /// another deployment on the same engine may still be reading them. Returns how many went.
    /// </summary>
    public async Task<int> OfDeadGradersAsync(Func<string, bool> isAlive, TimeSpan olderThan, CancellationToken ct)
    {
        var exited = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [DockerSandbox.RoleLabel + "=sandbox"] = true },
                // Created and never started, too: a creation the engine finished after its grader had given up.
                ["status"] = new Dictionary<string, bool> { ["exited"] = true, ["created"] = true, ["dead"] = true },
            },
        }, ct);
        var cutoff = clock.GetUtcNow().UtcDateTime - olderThan;
        var orphans = exited.Where(c => c.Created.ToUniversalTime() <= cutoff
            && c.Labels.TryGetValue(DockerSandbox.GraderLabel, out var owner) && owner != options.GraderId && !isAlive(owner)).ToList();
        foreach (var orphan in orphans)
        {
            await containers.RemoveAsync(orphan.ID);
        }
        return orphans.Count;
    }
}
