using BugHunt.Core.Packs;

namespace BugHunt.Core.Authoring;

/// <summary>
/// An uploaded pack's files written to a private scratch folder so <see cref="PackLoader"/> can read
/// them (reading parses YAML, diffs and C# syntax; it compiles and runs nothing). Disposing it
/// deletes the folder.
/// </summary>
public sealed class PackFiles : IDisposable
{
    private readonly string _scratch;

    private PackFiles(string scratch, ChallengePack pack)
    {
        _scratch = scratch;
        Pack = pack;
    }

    public ChallengePack Pack { get; }

    /// <summary>Writes and loads the files (paths already checked by <see cref="PackLayout"/>); a format error is a <see cref="PackFormatException"/>.</summary>
    public static PackFiles Load(IReadOnlyDictionary<string, string> files)
    {
        // Named as the manifest names the pack, so messages read "lab-screen/tiny-gpt/challenge.yaml".
        var folderName = files.TryGetValue(PackLoader.ManifestFile, out var manifest)
            ? manifest.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("id:", StringComparison.Ordinal))?[3..].Trim() ?? "pack"
            : "pack";
        var scratch = Directory.CreateTempSubdirectory("bughunt-upload-").FullName;
        try
        {
            var root = Path.Combine(scratch, PackIds.IsValid(folderName) ? folderName : "pack");
            foreach (var (relative, text) in files)
            {
                if (PackLayout.Refusal(relative) is { } refusal)
                {
                    throw new PackFormatException(relative, "", refusal);
                }
                var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            return new PackFiles(scratch, PackLoader.Load(root));
        }
        catch
        {
            Directory.Delete(scratch, recursive: true);
            throw;
        }
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
