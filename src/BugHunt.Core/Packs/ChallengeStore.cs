using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Sandbox;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Packs;

public sealed record ChallengeVersion(Guid Id, string ContentHash, Challenge Challenge);

public sealed record ImportedChallenge(string ChallengeId, Guid VersionId, string ContentHash, bool IsNew);

/// <summary>Imported challenge versions and their cached reference runs.</summary>
public sealed class ChallengeStore(NpgsqlDataSource db, TimeProvider clock)
{
    // A version never changes once imported (its id stands for its content hash), so every
    // process may keep what it has read: the API reads a level on every request, graders per job.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, ChallengeVersion> Versions = new();

    /// <summary>
    /// The hash of what grading and validation depend on: the content without what only the
    /// catalogue, the workbench and reports read (topics, the starting notebook, the bugs' fault
    /// classes and what they mirror). For a challenge with none of them it is its <see cref="ContentHash"/>.
    /// </summary>
    public static string GradingHash(Challenge challenge) => ContentHash(challenge with
    {
        Topics = null,
        Notebook = null,
        Bugs = [.. challenge.Bugs.Select(b => b with { FaultClass = null, Mirrors = null })],
    });

    public static string ContentHash(Challenge challenge) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(challenge, BugHuntDatabase.Json))));

    /// <summary>
    /// Imports every challenge of a pack and its templates; an unchanged challenge keeps its version.
    /// A pack published through the API names who published it and the validation it passed.
    /// </summary>
    public async Task<IReadOnlyList<ImportedChallenge>> ImportAsync(ChallengePack pack, CancellationToken ct, string? publishedBy = null, Guid? validationId = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO packs (id, title, imported_at, templates, published_by, validation_id) VALUES (@Id, @Title, @now, @templates::jsonb, @publishedBy, @validationId)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, imported_at = excluded.imported_at, templates = excluded.templates,
                published_by = excluded.published_by, validation_id = excluded.validation_id
            """, new { pack.Id, pack.Title, now, templates = JsonSerializer.Serialize(pack.Templates, BugHuntDatabase.Json), publishedBy, validationId }, tx, cancellationToken: ct));
        var imported = new List<ImportedChallenge>();
        foreach (var challenge in pack.Challenges)
        {
            var hash = ContentHash(challenge);
            var existing = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
                SELECT id FROM challenge_versions WHERE pack_id = @pack AND challenge_id = @challenge AND content_hash = @hash
                """, new { pack = pack.Id, challenge = challenge.Id, hash }, tx, cancellationToken: ct));
            if (existing is { } id)
            {
                imported.Add(new ImportedChallenge(challenge.Id, id, hash, false));
                continue;
            }
            id = Guid.CreateVersion7(now);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO challenge_versions (id, pack_id, challenge_id, content_hash, title, level, definition, imported_at, validation_id)
                VALUES (@id, @pack, @challenge, @hash, @title, @level, @definition::jsonb, @now, @validationId)
                """, new
            {
                id,
                pack = pack.Id,
                challenge = challenge.Id,
                hash,
                title = challenge.Title,
                level = challenge.Level,
                definition = JsonSerializer.Serialize(challenge, BugHuntDatabase.Json),
                now,
                validationId,
            }, tx, cancellationToken: ct));
            imported.Add(new ImportedChallenge(challenge.Id, id, hash, true));
        }
        await tx.CommitAsync(ct);
        return imported;
    }

    /// <summary>A pack's assessment template, named "pack/id", with its levels; null when there is none.</summary>
    public async Task<AssessmentTemplate?> TemplateAsync(string packId, string templateId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT templates::text FROM packs WHERE id = @packId", new { packId }, cancellationToken: ct));
        return json is null ? null : JsonSerializer.Deserialize<List<AssessmentTemplate>>(json, BugHuntDatabase.Json)!.FirstOrDefault(t => t.Id == templateId);
    }

    public async Task<ChallengeVersion?> GetAsync(Guid versionId, CancellationToken ct)
    {
        if (Versions.TryGetValue(versionId, out var cached))
        {
            return cached;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, string ContentHash, string Definition)>(new CommandDefinition(
            "SELECT id, content_hash, definition::text FROM challenge_versions WHERE id = @versionId", new { versionId }, cancellationToken: ct));
        return row.Definition is null ? null : Versions.GetOrAdd(versionId, new ChallengeVersion(row.Id, row.ContentHash, Deserialize(row.Definition)));
    }

    /// <summary>The most recently imported version of a challenge, or null.</summary>
    public async Task<Guid?> LatestVersionAsync(string packId, string challengeId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            SELECT id FROM challenge_versions WHERE pack_id = @packId AND challenge_id = @challengeId
            ORDER BY imported_at DESC, id DESC LIMIT 1
            """, new { packId, challengeId }, cancellationToken: ct));
    }

    /// <summary>The reference observations of a version for one hidden seed (public probes always use the public seed).</summary>
    public async Task<IReadOnlyDictionary<string, ProbeReport>?> GetReferenceRunAsync(Guid versionId, long hiddenSeed, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT probes::text FROM reference_runs WHERE challenge_version_id = @versionId AND hidden_seed = @hiddenSeed", new { versionId, hiddenSeed }, cancellationToken: ct));
        return json is null ? null : JsonSerializer.Deserialize<Dictionary<string, ProbeReport>>(json, BugHuntDatabase.Json);
    }

    /// <summary>Stores a reference run; when two graders race, the first one stored wins.</summary>
    public async Task SaveReferenceRunAsync(Guid versionId, long hiddenSeed, IReadOnlyDictionary<string, ProbeReport> probes, double elapsedMs, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO reference_runs (challenge_version_id, hidden_seed, probes, elapsed_ms, created_at)
            VALUES (@versionId, @hiddenSeed, @probes::jsonb, @elapsedMs, @now)
            ON CONFLICT (challenge_version_id, hidden_seed) DO NOTHING
            """, new { versionId, hiddenSeed, probes = JsonSerializer.Serialize(probes, BugHuntDatabase.Json), elapsedMs, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>The compiled probes of a challenge content for a runner image, if a grader stored them.</summary>
    public async Task<IReadOnlyDictionary<string, CompiledProbe>?> GetProbeBuildAsync(string contentHash, string runnerImage, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT probes::text FROM probe_builds WHERE content_hash = @contentHash AND runner_image = @runnerImage",
            new { contentHash, runnerImage }, cancellationToken: ct));
        return json is null ? null : JsonSerializer.Deserialize<Dictionary<string, CompiledProbe>>(json, BugHuntDatabase.Json);
    }

    /// <summary>Stores compiled probes; when two graders race, the first one stored wins (both compiled the same sources).</summary>
    public async Task SaveProbeBuildAsync(string contentHash, string runnerImage, IReadOnlyDictionary<string, CompiledProbe> probes, double elapsedMs, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO probe_builds (content_hash, runner_image, probes, elapsed_ms, created_at)
            VALUES (@contentHash, @runnerImage, @probes::jsonb, @elapsedMs, @now)
            ON CONFLICT (content_hash, runner_image) DO NOTHING
            """, new { contentHash, runnerImage, probes = JsonSerializer.Serialize(probes, BugHuntDatabase.Json), elapsedMs, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>
    /// Versions that assessments use and that still lack their probes compiled for
    /// <paramref name="runnerImage"/> or reference observations for some of their
    /// <paramref name="seeds"/> hidden seeds, newest assessment first: what an idle grader prepares
    /// before a candidate's first submission has to wait for it.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> UnpreparedVersionsAsync(int seeds, string runnerImage, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<Guid>(new CommandDefinition("""
            SELECT l.challenge_version_id FROM assessment_levels l
            JOIN assessments a ON a.id = l.assessment_id
            JOIN challenge_versions v ON v.id = l.challenge_version_id
            WHERE (SELECT count(*) FROM reference_runs r WHERE r.challenge_version_id = l.challenge_version_id) < @seeds
               OR NOT EXISTS (SELECT 1 FROM probe_builds p WHERE p.content_hash = v.content_hash AND p.runner_image = @runnerImage)
            GROUP BY l.challenge_version_id ORDER BY max(a.created_at) DESC LIMIT @limit
            """, new { seeds, runnerImage, limit }, cancellationToken: ct))];
    }

    private static Challenge Deserialize(string json) =>
        JsonSerializer.Deserialize<Challenge>(json, BugHuntDatabase.Json) ?? throw new InvalidDataException("empty challenge definition");
}
