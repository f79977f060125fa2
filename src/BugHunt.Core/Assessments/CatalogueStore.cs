using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Assessments;

/// <summary>A challenge as a recruiter picks it for a level: its latest imported version, described without any of its content.</summary>
public sealed record CatalogueChallenge(
    string Id,
    string Title,
    int Level,
    int ExpectedSolveMinutes,
    IReadOnlyList<string> Topics,
    int PublicTests,
    int HiddenTests,
    Guid VersionId,
    string ContentHash,
    DateTime ImportedAt);

/// <param name="Templates">The pack's standard assessments, each shaped like the body of POST /api/admin/assessments plus its id and description.</param>
public sealed record CataloguePack(string Id, string Title, DateTime ImportedAt, IReadOnlyList<CatalogueChallenge> Challenges, IReadOnlyList<AssessmentTemplate> Templates);

/// <summary>
/// What assessments are built from: every imported pack with its challenges at the version a new
/// level would pin (the one <see cref="ChallengeStore.LatestVersionAsync"/> picks), and its templates.
/// </summary>
public sealed class CatalogueStore(NpgsqlDataSource db)
{
    /// <summary>A page of the catalogue, by pack id.</summary>
    public async Task<Page<CataloguePack>> ListAsync(PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var packs = (await connection.QueryAsync<(string Id, string Title, DateTime ImportedAt, string Templates)>(new CommandDefinition(
            "SELECT id, title, imported_at, templates::text FROM packs WHERE @after::text IS NULL OR id > @after ORDER BY id LIMIT @take",
            new { after = page.After?.Id, take = page.Take }, cancellationToken: ct))).ToList();
        var packIds = packs.Select(p => p.Id).ToArray();
        // Read from the stored definition in SQL, so that no starter, reference or probe leaves the
        // database for a listing. Topics are optional in a pack (absent reads as none).
        var challenges = await connection.QueryAsync<ChallengeRow>(new CommandDefinition("""
            SELECT * FROM (
                SELECT DISTINCT ON (v.pack_id, v.challenge_id)
                       v.pack_id, v.challenge_id, v.title, v.level,
                       coalesce((v.definition ->> 'expected_solve_minutes')::int, 0) AS expected_solve_minutes,
                       CASE WHEN jsonb_typeof(v.definition -> 'topics') = 'array'
                            THEN ARRAY(SELECT jsonb_array_elements_text(v.definition -> 'topics'))
                            ELSE ARRAY[]::text[] END AS topics,
                       (SELECT count(*) FROM jsonb_array_elements(v.definition -> 'tests') t
                        WHERE t ->> 'visibility' = 'public')::int AS public_tests,
                       (SELECT count(*) FROM jsonb_array_elements(v.definition -> 'tests') t
                        WHERE t ->> 'visibility' IS DISTINCT FROM 'public')::int AS hidden_tests,
                       v.id AS version_id, v.content_hash, v.imported_at
                FROM challenge_versions v
                WHERE v.pack_id = ANY(@packIds)
                ORDER BY v.pack_id, v.challenge_id, v.imported_at DESC, v.id DESC
            ) latest
            ORDER BY pack_id, level, challenge_id
            """, new { packIds }, cancellationToken: ct));
        var byPack = challenges.ToLookup(c => c.PackId);
        return Page<CataloguePack>.From([.. packs.Select(p => new CataloguePack(p.Id, p.Title, p.ImportedAt,
            [.. byPack[p.Id].Select(c => new CatalogueChallenge(
                c.ChallengeId, c.Title, c.Level, c.ExpectedSolveMinutes, c.Topics, c.PublicTests, c.HiddenTests, c.VersionId, c.ContentHash, c.ImportedAt))],
            JsonSerializer.Deserialize<List<AssessmentTemplate>>(p.Templates, BugHuntDatabase.Json) ?? []))], page, p => Keyset.Of(p.Id, p.Id));
    }

    private sealed class ChallengeRow
    {
        public string PackId { get; init; } = "";
        public string ChallengeId { get; init; } = "";
        public string Title { get; init; } = "";
        public int Level { get; init; }
        public int ExpectedSolveMinutes { get; init; }
        public string[] Topics { get; init; } = [];
        public int PublicTests { get; init; }
        public int HiddenTests { get; init; }
        public Guid VersionId { get; init; }
        public string ContentHash { get; init; } = "";
        public DateTime ImportedAt { get; init; }
    }
}
