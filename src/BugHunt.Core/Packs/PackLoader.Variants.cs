using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BugHunt.Core.Packs;

// Planted bugs and wrong fixes are written once, as unified diffs against the reference
// (bugs/<id>.diff, wrong-fixes/<id>.diff). The starter is derived: the reference with every
// planted bug applied, then starter.diff, which may change comments and layout only.
public static partial class PackLoader
{
    public const string StarterDiffFile = "starter.diff";

    /// <summary>The folder of each variant kind, as challenge.yaml's key names it.</summary>
    public static string VariantFolder(string key) => key == "bugs" ? "bugs" : "wrong-fixes";

    private static List<Variant> ReadVariants(YamlFields yaml, string key, string dir, string shown, IReadOnlyDictionary<string, string> reference, bool titled)
    {
        var folder = VariantFolder(key);
        var variants = new List<Variant>();
        foreach (var v in yaml.MappingList(key, required: false))
        {
            if (v.Has("files"))
            {
                throw v.Error("files", $"a variant is now written once, as a diff against the reference: {folder}/<id>.diff (`bughunt pack convert <pack>` rewrites folders of whole files as diffs)");
            }
            v.AllowOnly(titled ? ["id", "title", "summary", "class", "mirrors"] : (string[])["id", "summary"]);
            var id = v.RequiredId("id");
            var title = titled ? v.OptionalString("title")?.Trim() : null;
            if (title is { Length: > MaxBugTitleLength })
            {
                throw v.Error("title", $"expected a short phrase of at most {MaxBugTitleLength} characters, got {title.Length}");
            }
            var summary = v.RequiredString("summary");
            var faultClass = titled ? ReadFaultClass(v) : null;
            var mirrors = titled ? v.OptionalString("mirrors")?.Trim() : null;
            if (variants.Any(x => x.Id == id))
            {
                throw v.Error("id", $"'{id}' is used twice");
            }
            var diffPath = $"{folder}/{id}.diff";
            var hunks = UnifiedDiff.Parse(ReadText(dir, shown, diffPath, v, "id"), $"{shown}/{diffPath}", reference.Keys.ToList());
            var files = UnifiedDiff.Apply(reference, "reference", hunks.Select(h => ($"{shown}/{diffPath}", h)));
            variants.Add(new Variant(id, summary, files) { Title = title, FaultClass = faultClass, Mirrors = mirrors, Hunks = hunks });
        }
        RefuseUnlisted(dir, shown, folder, key, variants);
        return variants;
    }

    /// <summary>A planted bug's fault class: required, one of <see cref="FaultClasses.All"/>.</summary>
    private static string ReadFaultClass(YamlFields v)
    {
        var value = v.RequiredString("class").Trim();
        if (!FaultClasses.All.ContainsKey(value))
        {
            throw v.Error("class", $"expected a fault class of the taxonomy, one of {string.Join(", ", FaultClasses.All.Keys)}; got '{value}'");
        }
        return value;
    }

    /// <summary>Every file of bugs/ (wrong-fixes/) must be the diff of a listed variant: an unlisted one would silently never be checked.</summary>
    private static void RefuseUnlisted(string dir, string shown, string folder, string key, List<Variant> variants)
    {
        var full = Path.Combine(dir, folder);
        if (!Directory.Exists(full))
        {
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(full).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (Directory.Exists(entry))
            {
                throw new PackFormatException($"{shown}/{folder}/{name}", "", $"is a folder: a variant is one diff, {folder}/<id>.diff (`bughunt pack convert <pack>` rewrites folders of whole files as diffs)");
            }
            if (!name.EndsWith(".diff", StringComparison.Ordinal) || !variants.Any(v => v.Id + ".diff" == name))
            {
                throw new PackFormatException($"{shown}/{folder}/{name}", "", $"is not the diff of a variant listed under {key} in {ChallengeFile}; each is {folder}/<id>.diff");
            }
        }
    }

    /// <summary>The reference with every planted bug applied, then starter.diff (comments and layout only).</summary>
    private static Dictionary<string, string> DeriveStarter(string dir, string shown, IReadOnlyDictionary<string, string> reference, IReadOnlyList<Variant> bugs)
    {
        var withBugs = new Dictionary<string, string>(reference, StringComparer.Ordinal);
        foreach (var (name, text) in UnifiedDiff.Apply(reference, "reference", bugs.SelectMany(b => b.Hunks.Select(h => ($"{shown}/{VariantFolder("bugs")}/{b.Id}.diff", h)))))
        {
            withBugs[name] = text;
        }
        var starterDiff = Path.Combine(dir, StarterDiffFile);
        if (!File.Exists(starterDiff))
        {
            return withBugs;
        }
        var shownDiff = $"{shown}/{StarterDiffFile}";
        if (new FileInfo(starterDiff).Length > MaxSourceBytes)
        {
            throw new PackFormatException(shownDiff, "", $"is larger than {MaxSourceBytes / 1024} KiB");
        }
        var hunks = UnifiedDiff.Parse(File.ReadAllText(starterDiff), shownDiff, reference.Keys.ToList());
        var starter = new Dictionary<string, string>(withBugs, StringComparer.Ordinal);
        foreach (var (name, text) in UnifiedDiff.Apply(withBugs, "the reference with every bug", hunks.Select(h => (shownDiff, h))))
        {
            if (!SyntaxFactory.AreEquivalent(CSharpSyntaxTree.ParseText(withBugs[name]), CSharpSyntaxTree.ParseText(text), topLevel: false))
            {
                throw new PackFormatException(shownDiff, "", $"changes code of {name}, not only comments or layout: the starter must behave exactly as the reference with every planted bug, so put a code change in the bug it belongs to");
            }
            starter[name] = text;
        }
        return starter;
    }
}
