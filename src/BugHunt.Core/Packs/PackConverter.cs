using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace BugHunt.Core.Packs;

/// <summary>
/// Rewrites a pack written in the folder format (each bug a folder of whole edited files, the
/// starter a folder of its own) into the diff format: bugs/&lt;id&gt;.diff, wrong-fixes/&lt;id&gt;.diff,
/// and starter.diff when the starter differs from the reference with every bug beyond comments.
/// The converted pack loads to the same challenges, byte for byte.
/// </summary>
public static partial class PackConverter
{
    /// <summary>
    /// Converts every challenge of the pack that still uses folders; returns the files it wrote.
    /// It converts a copy first and proves the copy loads to the same files as the folders hold,
    /// and only then touches the pack; a pack it cannot prove is left as it was.
    /// </summary>
    public static IReadOnlyList<string> Convert(string packDirectory)
    {
        var root = Path.GetFullPath(packDirectory);
        var scratch = Directory.CreateTempSubdirectory("bughunt-convert-").FullName;
        try
        {
            var copy = Path.Combine(scratch, Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)));
            CopyDirectory(root, copy);
            var expected = Listed(copy).ToDictionary(c => c, c => FolderFormat(Path.Combine(copy, c)));
            if (ConvertInPlace(copy).Count == 0)
            {
                return [];
            }
            var converted = PackLoader.Load(copy);
            foreach (var challenge in converted.Challenges)
            {
                var (starter, variants) = expected[challenge.Id];
                Prove(challenge.Id, "starter", starter, challenge.StarterFiles);
                foreach (var variant in challenge.Bugs.Select(b => ($"bugs/{b.Id}", b)).Concat(challenge.WrongFixes.Select(w => ($"wrong-fixes/{w.Id}", w))))
                {
                    Prove(challenge.Id, variant.Item1, variants[variant.Item1], variant.Item2.Files);
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        return ConvertInPlace(root);
    }

    private static void Prove(string challenge, string what, IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        if (!expected.Keys.SequenceEqual(actual.Keys) || expected.Any(f => actual[f.Key] != f.Value))
        {
            throw new PackFormatException($"{challenge}/{what}", "", "converted, it would not load to the same files; the pack was left unchanged");
        }
    }

    /// <summary>What the folder format says: the starter folder (or the reference with its bugs) and each variant's folder.</summary>
    private static (IReadOnlyDictionary<string, string> Starter, Dictionary<string, IReadOnlyDictionary<string, string>> Variants) FolderFormat(string dir)
    {
        var yaml = File.ReadAllText(Path.Combine(dir, PackLoader.ChallengeFile)).ReplaceLineEndings("\n");
        var variants = FilesField().Matches(yaml).Select(m => m.Groups[1].Value)
            .ToDictionary(f => f, f => (IReadOnlyDictionary<string, string>)ReadFiles(Path.Combine(dir, f)), StringComparer.Ordinal);
        var starter = Path.Combine(dir, "starter");
        return (Directory.Exists(starter) ? ReadFiles(starter) : ReadFiles(Path.Combine(dir, "reference")), variants);
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    private static List<string> ConvertInPlace(string root)
    {
        var written = new List<string>();
        foreach (var id in Listed(root))
        {
            written.AddRange(ConvertChallenge(Path.Combine(root, id), id));
        }
        return written;
    }

    private static List<string> Listed(string root)
    {
        var manifest = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, PackLoader.ManifestFile)))
        {
            manifest.Load(reader);
        }
        return ((YamlSequenceNode)((YamlMappingNode)manifest.Documents[0].RootNode)[new YamlScalarNode("challenges")])
            .Select(n => ((YamlScalarNode)n).Value!).ToList();
    }

    private static IEnumerable<string> ConvertChallenge(string dir, string id)
    {
        var yamlPath = Path.Combine(dir, PackLoader.ChallengeFile);
        var yaml = File.ReadAllText(yamlPath).ReplaceLineEndings("\n");
        var folders = FilesField().Matches(yaml).Select(m => m.Groups[1].Value).ToList();
        if (folders.Count == 0)
        {
            yield break;
        }
        var reference = ReadFiles(Path.Combine(dir, "reference"));
        var bugHunks = new List<(string, UnifiedDiff.Hunk)>();
        foreach (var folder in folders)
        {
            var variant = ReadFiles(Path.Combine(dir, folder));
            var diff = string.Concat(variant.Select(f => UnifiedDiff.Write(f.Key, reference[f.Key], f.Value)));
            var target = Path.Combine(dir, folder + ".diff");
            File.WriteAllText(target, diff);
            Directory.Delete(Path.Combine(dir, folder), recursive: true);
            yield return $"{id}/{folder}.diff";
            if (folder.StartsWith("bugs/", StringComparison.Ordinal))
            {
                bugHunks.AddRange(UnifiedDiff.Parse(diff, target, reference.Keys.ToList()).Select(h => (folder, h)));
            }
        }
        var withBugs = new Dictionary<string, string>(reference, StringComparer.Ordinal);
        foreach (var (name, text) in UnifiedDiff.Apply(reference, "reference", bugHunks))
        {
            withBugs[name] = text;
        }
        File.WriteAllText(yamlPath, FilesField().Replace(yaml, ""));
        var starterDir = Path.Combine(dir, "starter");
        if (Directory.Exists(starterDir))
        {
            var starter = ReadFiles(starterDir);
            var diff = string.Concat(starter.Select(f => UnifiedDiff.Write(f.Key, withBugs[f.Key], f.Value)));
            if (diff.Length > 0)
            {
                File.WriteAllText(Path.Combine(dir, PackLoader.StarterDiffFile), diff);
                yield return $"{id}/{PackLoader.StarterDiffFile}";
            }
            Directory.Delete(starterDir, recursive: true);
        }
    }

    private static Dictionary<string, string> ReadFiles(string folder) =>
        Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).ReplaceLineEndings("\n"), StringComparer.Ordinal);

    [GeneratedRegex(@"^[ \t]+files:[ \t]*((?:bugs|wrong-fixes)/[a-z0-9-]+)[ \t]*\n", RegexOptions.Multiline)]
    private static partial Regex FilesField();
}
