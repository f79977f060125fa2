using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BugHunt.Core.Assessments;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Similarity;

namespace BugHunt.Api.Admin;

/// <summary>
/// Compares the candidates' fixes of one level (see <see cref="FixSimilarity"/>). The proctor
/// console asks for this on every refresh, so each fix is fingerprinted once per version of its
/// code: a fingerprint is kept under the hash of the files it was made from.
/// </summary>
public sealed class FixComparer(SessionStore sessions, ChallengeStore challenges)
{
    private const int MaxCached = 20_000;

    private readonly ConcurrentDictionary<(Guid Session, int Level), (string Hash, FixFingerprint Fingerprint)> _fingerprints = new();

    /// <summary>Every pair of candidates' fixes of one level, most alike first.</summary>
    public async Task<List<SimilarPairView>> CompareAsync(Assessment assessment, AssessmentLevel level, CancellationToken ct) =>
        await CompareAsync(level, await LoadAsync(assessment, ct), ct);

    /// <summary>The flagged pairs on every level, each with its level; every session's code is read once.</summary>
    public async Task<List<(int Level, SimilarPairView Pair)>> FlaggedAsync(Assessment assessment, CancellationToken ct)
    {
        var code = await LoadAsync(assessment, ct);
        var flagged = new List<(int, SimilarPairView)>();
        foreach (var level in assessment.Levels)
        {
            flagged.AddRange((await CompareAsync(level, code, ct)).Where(p => p.Flagged).Select(p => (level.Position, p)));
        }
        return flagged;
    }

    private async Task<List<(Session Session, IReadOnlyList<SessionLevel> Levels)>> LoadAsync(Assessment assessment, CancellationToken ct)
    {
        var code = new List<(Session, IReadOnlyList<SessionLevel>)>();
        foreach (var session in await sessions.ListAsync(assessment.Id, ct))
        {
            code.Add((session, await sessions.LevelsAsync(session.Id, ct)));
        }
        return code;
    }

    private async Task<List<SimilarPairView>> CompareAsync(AssessmentLevel level, List<(Session Session, IReadOnlyList<SessionLevel> Levels)> code, CancellationToken ct)
    {
        var challenge = (await challenges.GetAsync(level.ChallengeVersionId, ct))!.Challenge;
        var fixes = new List<FixFingerprint>();
        var names = new Dictionary<string, string?>();
        foreach (var (session, levels) in code)
        {
            if (levels.FirstOrDefault(l => l.Position == level.Position)?.Files is not { } files)
            {
                continue;
            }
            names[session.Id.ToString()] = session.Candidate;
            fixes.Add(Fingerprint(session.Id, level.Position, challenge, files));
        }
        return [.. FixSimilarity.Compare(fixes).Select(p => new SimilarPairView(
            Guid.Parse(p.A), names[p.A], Guid.Parse(p.B), names[p.B], p.Score, p.EditTokensA, p.EditTokensB, p.Flagged))];
    }

    private FixFingerprint Fingerprint(Guid session, int level, Challenge challenge, IReadOnlyDictionary<string, string> files)
    {
        var hash = Hash(files);
        if (_fingerprints.TryGetValue((session, level), out var kept) && kept.Hash == hash)
        {
            return kept.Fingerprint;
        }
        var fingerprint = FixSimilarity.Fingerprint(session.ToString(), challenge.StarterFiles, challenge.ReferenceFiles, files);
        if (_fingerprints.Count >= MaxCached)
        {
            _fingerprints.Clear();
        }
        _fingerprints[(session, level)] = (hash, fingerprint);
        return fingerprint;
    }

    private static string Hash(IReadOnlyDictionary<string, string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(text));
            sha.AppendData([0]);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
