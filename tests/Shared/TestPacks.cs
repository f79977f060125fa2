using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

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

    /// <summary>The echo fixture (tests/fixtures/sandbox-pack) under a pack id of its own, as relative path → text.</summary>
    public static SortedDictionary<string, string> Echo(string packId)
    {
        var fixture = Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "fixtures", "sandbox-pack");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(fixture, file).Replace('\\', '/')] = File.ReadAllText(file);
        }
        files["pack.yaml"] = files["pack.yaml"].Replace("id: sandbox-pack", $"id: {packId}", StringComparison.Ordinal);
        // The fixture's 10 s limit keeps the sandbox tests' timeouts short; a validation must prove
        // the limit at least twice the reference's time, which a busy machine can exceed.
        files["echo/challenge.yaml"] = files["echo/challenge.yaml"].Replace("time_seconds: 10", "time_seconds: 40", StringComparison.Ordinal);
        return files;
    }

    /// <summary>A .tar.gz of text files, as an author uploads a pack.</summary>
    public static byte[] TarGz(IEnumerable<(string Name, string Text)> files)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, text) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }
        return output.ToArray();
    }
}
