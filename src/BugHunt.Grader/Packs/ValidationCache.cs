using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Mutants;
using BugHunt.Core.Packs;

namespace BugHunt.Grader.Packs;

/// <summary>
/// Passing validation reports kept in the pack (<c>validation-cache.json</c>, committed with it),
/// keyed by a hash of everything validation depends on: the challenge's content (files, probes,
/// tests, bugs, rules, equivalent mutants), the mutant generator's version and the validator's
/// version. An unchanged challenge is not validated again, so CI re-runs only what changed;
/// <c>pack validate --full</c> ignores the cache. Only passing reports are kept: a failure is
/// always recomputed.
/// </summary>
public sealed class ValidationCache
{
    public const string FileName = "validation-cache.json";

    /// <summary>Bump when what validation proves changes, so every cached report is recomputed.</summary>
    public const string ValidatorVersion = "bughunt-validate/2";

    private static readonly JsonSerializerOptions Json = new(BugHuntDatabase.Json) { WriteIndented = true };

    private readonly string _path;
    private readonly SortedDictionary<string, Entry> _entries;
    private readonly Dictionary<string, Entry> _stored = new(StringComparer.Ordinal);

    private ValidationCache(string path, SortedDictionary<string, Entry> entries)
    {
        _path = path;
        _entries = entries;
    }

    public sealed record Entry(string Key, ChallengeReport Report)
    {
        /// <summary>What the starting notebook's check in <see cref="Report"/> was made for; null without one.</summary>
        public string? NotebookKey { get; init; }
    }

    /// <summary>Reads the pack's cache; a missing or unreadable file is an empty cache.</summary>
    public static ValidationCache Open(string packDirectory)
    {
        var path = Path.Combine(packDirectory, FileName);
        return new ValidationCache(path, Read(path));
    }

    private static SortedDictionary<string, Entry> Read(string path)
    {
        try
        {
            var entries = File.Exists(path) ? JsonSerializer.Deserialize<SortedDictionary<string, Entry>>(File.ReadAllText(path), Json) : null;
            return entries is null ? new SortedDictionary<string, Entry>(StringComparer.Ordinal) : new SortedDictionary<string, Entry>(entries, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// What the checks depend on: the challenge without what only the catalogue and the workbench
    /// read (topics, the starting notebook, whose own check is keyed by <see cref="NotebookKey"/>).
    /// </summary>
    public static string Key(Challenge challenge, bool mutants) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{ChallengeStore.GradingHash(challenge)}/{Mutator.Version}/{ValidatorVersion}/mutants={mutants}")));

    /// <summary>The starting notebook's check depends on it and on the code it runs on; null without a notebook.</summary>
    public static string? NotebookKey(Challenge challenge) => challenge.Notebook is null ? null :
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            ChallengeStore.ContentHash(challenge) + "/notebook/" + ValidatorVersion)));

    /// <summary>
    /// The cached report of an unchanged challenge that passed. <paramref name="notebookCurrent"/>
    /// says whether its starting notebook's check is for the notebook the challenge has now; when
    /// it is not, only that check needs running again.
    /// </summary>
    public ChallengeReport? Find(Challenge challenge, bool mutants, out bool notebookCurrent)
    {
        notebookCurrent = false;
        if (!_entries.TryGetValue(challenge.Id, out var entry) || entry.Key != Key(challenge, mutants) || !entry.Report.Passed)
        {
            return null;
        }
        notebookCurrent = entry.NotebookKey == NotebookKey(challenge);
        return entry.Report with { FromCache = true };
    }

    public void Store(Challenge challenge, bool mutants, ChallengeReport report)
    {
        if (report.Passed)
        {
            _entries[challenge.Id] = _stored[challenge.Id] = new Entry(Key(challenge, mutants), report with { FromCache = false }) { NotebookKey = NotebookKey(challenge) };
        }
    }

    /// <summary>
    /// Writes the entries stored by this run into the file as it is now (another validation of
    /// the same pack may have written its own since this one opened it), and drops entries of
    /// challenges the pack no longer has.
    /// </summary>
    public void Save(IEnumerable<string> challengeIds)
    {
        var current = Read(_path);
        foreach (var (id, entry) in _stored)
        {
            current[id] = entry;
        }
        var keep = challengeIds.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in current.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            current.Remove(gone);
        }
        File.WriteAllText(_path, JsonSerializer.Serialize(current, Json) + "\n");
    }
}
