using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>A challenge read back from the database hashes as it did when imported: seeds and stored builds are keyed by it.</summary>
public sealed class ContentHashRoundTripTests
{
    [Fact]
    public void Every_shipped_challenge_keeps_its_hashes_through_the_database_form()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges")).Where(d => File.Exists(Path.Combine(d, "pack.yaml"))))
        {
            foreach (var challenge in PackLoader.Load(dir).Challenges)
            {
                var stored = JsonSerializer.Deserialize<Challenge>(JsonSerializer.Serialize(challenge, BugHuntDatabase.Json), BugHuntDatabase.Json)!;
                Assert.True(ChallengeStore.ContentHash(challenge) == ChallengeStore.ContentHash(stored), $"{challenge.PackId}/{challenge.Id}: content hash changes through the database form");
                Assert.Equal(ChallengeStore.GradingHash(challenge), ChallengeStore.GradingHash(stored));
            }
        }
    }
}
