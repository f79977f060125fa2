namespace BugHunt.Testing;

/// <summary>Scratch copies of the real packs, for tests that import, break or re-version them.</summary>
public static class TestPacks
{
    public static string LabScreen => Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen");

    public static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    /// <summary>A pack <paramref name="packId"/> in <paramref name="scratch"/> holding only a copy of causal-attention; returns the pack folder.</summary>
    public static string AttentionOnly(string scratch, string packId)
    {
        var pack = Path.Combine(scratch, packId);
        CopyDirectory(Path.Combine(LabScreen, "causal-attention"), Path.Combine(pack, "causal-attention"));
        File.WriteAllText(Path.Combine(pack, "pack.yaml"), $"id: {packId}\ntitle: copy of causal-attention\nchallenges: [causal-attention]\n");
        return pack;
    }
}
