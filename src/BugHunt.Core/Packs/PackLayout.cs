using System.Text.RegularExpressions;

namespace BugHunt.Core.Packs;

/// <summary>
/// Which files a pack may hold, by path relative to the pack folder. The loader refuses anything
/// else (an edited starter/ folder or a stray bug file would otherwise be silently ignored), and an
/// uploaded archive is checked entry by entry with the same rule before anything is unpacked.
/// </summary>
public static partial class PackLayout
{
    /// <summary>The layout in words, for messages.</summary>
    public const string Description =
        "pack.yaml, validation-cache.json and per challenge: challenge.yaml, statement.md, starter.diff, "
        + "reference/<Name>.cs, bugs/<id>.diff, wrong-fixes/<id>.diff, probes/<name>.csx, notebook/<name>.csx";

    /// <summary>Null when <paramref name="relative"/> (with '/' separators) belongs to the layout, else why not.</summary>
    public static string? Refusal(string relative)
    {
        var parts = relative.Split('/');
        if (parts.Any(p => p.Length == 0 || p is "." or ".."))
        {
            return "is not a plain relative path";
        }
        return parts switch
        {
            [PackLoader.ManifestFile or ValidationCacheFile] => null,
            [_] => $"is outside the pack layout ({Description})",
            [var challenge, ..] when !PackIds.IsValid(challenge) => $"is in '{challenge}', which is not a valid challenge folder name (lowercase letters, digits and dashes)",
            [_, PackLoader.ChallengeFile or StatementFile or PackLoader.StarterDiffFile] => null,
            [_, "reference", var name] when SubmittedFiles.IsValidName(name) => null,
            [_, "bugs" or "wrong-fixes", var name] when name.EndsWith(".diff", StringComparison.Ordinal) && PackIds.IsValid(name[..^5]) => null,
            [_, "probes" or "notebook", var name] when ProbeName().IsMatch(name) => null,
            _ => $"is outside the pack layout ({Description})",
        };
    }

    /// <summary>Whether <paramref name="relative"/> may be a folder of the layout.</summary>
    public static bool IsFolder(string relative) => relative.Split('/') switch
    {
        [var challenge] => PackIds.IsValid(challenge),
        [var challenge, "reference" or "bugs" or "wrong-fixes" or "probes" or "notebook"] => PackIds.IsValid(challenge),
        _ => false,
    };

    public const string ValidationCacheFile = "validation-cache.json";
    public const string StatementFile = "statement.md";

    /// <summary>Every file and folder under a pack folder that is outside the layout, or in a challenge folder pack.yaml does not list.</summary>
    internal static void Check(string root, string packName, IReadOnlyCollection<string> listed)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, entry).Replace(Path.DirectorySeparatorChar, '/');
            var shown = $"{packName}/{relative}";
            var attributes = File.GetAttributes(entry);
            if (attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                throw new PackFormatException(shown, "", "is a link; a pack holds plain files and folders only");
            }
            var isFolder = attributes.HasFlag(FileAttributes.Directory);
            if (isFolder ? !IsFolder(relative) : Refusal(relative) is not null)
            {
                throw new PackFormatException(shown, "", relative == "starter" || relative.EndsWith("/starter", StringComparison.Ordinal)
                    ? "the starter is derived now (the reference with every planted bug applied), so a starter folder would be ignored: remove it, and put comment-only edits in starter.diff"
                    : isFolder ? $"is a folder outside the pack layout ({Description})" : Refusal(relative)!);
            }
            if (relative.Split('/')[0] is var challenge && challenge != relative && !listed.Contains(challenge))
            {
                throw new PackFormatException($"{packName}/{challenge}", "", $"is not listed under challenges in {PackLoader.ManifestFile}: list it or remove it");
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.csx$")]
    private static partial Regex ProbeName();
}
