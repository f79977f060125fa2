using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class PackImportTests(BugHuntServer server) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bughunt-import-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [PostgresFact]
    public async Task Reimporting_an_unchanged_pack_keeps_its_versions()
    {
        var store = new ChallengeStore(server.Db, TimeProvider.System);
        var pack = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"));
        var again = await store.ImportAsync(pack, CancellationToken.None);
        Assert.All(again, c => Assert.False(c.IsNew));
        Assert.Equal(server.AttentionVersion, again.Single(c => c.ChallengeId == "causal-attention").VersionId);
    }

    [PostgresFact]
    public async Task Changed_challenge_gets_a_new_version_and_a_running_session_keeps_its_own()
    {
        var store = new ChallengeStore(server.Db, TimeProvider.System);
        // A pack of its own (unique id), so other tests never see these versions.
        var packId = "import-" + Guid.NewGuid().ToString("N")[..8];
        var dir = CopyAttentionAs(packId);
        var first = (await store.ImportAsync(PackLoader.Load(dir), CancellationToken.None)).Single();
        var assessment = await server.CreateAssessmentAsync(new { name = "pinned", levels = new[] { new { pack = packId, challenge = "causal-attention" } } });
        var (candidate, _) = await server.OpenAsync(await server.InviteAsync(assessment));

        File.AppendAllText(Path.Combine(dir, "causal-attention", "statement.md"), "\nUpdate: the ticket was clarified.\n");
        var second = (await store.ImportAsync(PackLoader.Load(dir), CancellationToken.None)).Single();

        Assert.True(second.IsNew);
        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Equal(second.VersionId, await store.LatestVersionAsync(packId, "causal-attention", CancellationToken.None));
        var seen = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1");
        Assert.DoesNotContain("the ticket was clarified", seen.GetProperty("statement").GetString(), StringComparison.Ordinal);
    }

    private string CopyAttentionAs(string packId) => TestPacks.AttentionOnly(_scratch, packId);
}
