using System.Text.RegularExpressions;

namespace BugHunt.Core.Packs;

/// <summary>Rules for file names that travel from a candidate into a sandbox.</summary>
public static partial class SubmittedFiles
{
    public const int MaxFileChars = 64 * 1024;

    /// <summary>A plain C# file name: no folders, no traversal, nothing a shell or a path could misread.</summary>
    public static bool IsValidName(string name) => name.Length <= 64 && NamePattern().IsMatch(name);

    /// <summary>The files a sandbox compiles: <paramref name="baseFiles"/> with <paramref name="changes"/> replacing same-named ones.</summary>
    public static Dictionary<string, string> Overlay(IReadOnlyDictionary<string, string> baseFiles, IReadOnlyDictionary<string, string> changes)
    {
        var files = baseFiles.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        foreach (var (name, text) in changes)
        {
            files[name] = text;
        }
        return files;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*\\.cs$")]
    private static partial Regex NamePattern();
}
