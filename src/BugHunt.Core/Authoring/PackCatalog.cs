using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Authoring;

public sealed record PackSummary(string Id, string Title, DateTime ImportedAt, string? PublishedBy, Guid? ValidationId, int Challenges, int Versions, int Templates);

public sealed record VersionSummary(Guid Id, string ContentHash, string Title, int Level, DateTime ImportedAt, Guid? ValidationId, int Submissions, bool Latest);

public sealed record ChallengeVersions(string Id, IReadOnlyList<VersionSummary> Versions);

public sealed record PackDetail(
    string Id,
    string Title,
    DateTime ImportedAt,
    string? PublishedBy,
    Guid? ValidationId,
    IReadOnlyList<AssessmentTemplate> Templates,
    IReadOnlyList<ChallengeVersions> Challenges);

/// <summary>What authors browse: imported packs, their challenges and every version of each.</summary>
public sealed class PackCatalog(NpgsqlDataSource db)
{
    /// <summary>A page of imported packs, by id.</summary>
    public async Task<Page<PackSummary>> ListAsync(PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PackSummary>(new CommandDefinition("""
            SELECT p.id, p.title, p.imported_at, p.published_by, p.validation_id,
                   (SELECT count(DISTINCT challenge_id) FROM challenge_versions v WHERE v.pack_id = p.id)::int AS challenges,
                   (SELECT count(*) FROM challenge_versions v WHERE v.pack_id = p.id)::int AS versions,
                   jsonb_array_length(p.templates) AS templates
            FROM packs p WHERE @after::text IS NULL OR p.id > @after ORDER BY p.id LIMIT @take
            """, new { after = page.After?.Id, take = page.Take }, cancellationToken: ct));
        return Page<PackSummary>.From([.. rows], page, p => Keyset.Of(p.Id, p.Id));
    }

    public async Task<PackDetail?> GetAsync(string packId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var pack = await connection.QuerySingleOrDefaultAsync<(string Id, string Title, DateTime ImportedAt, string? PublishedBy, Guid? ValidationId, string Templates)?>(new CommandDefinition(
            "SELECT id, title, imported_at, published_by, validation_id, templates::text FROM packs WHERE id = @packId", new { packId }, cancellationToken: ct));
        if (pack is not { } p)
        {
            return null;
        }
        var versions = await connection.QueryAsync<(string ChallengeId, Guid Id, string ContentHash, string Title, int Level, DateTime ImportedAt, Guid? ValidationId, int Submissions, bool Latest)>(new CommandDefinition("""
            SELECT v.challenge_id, v.id, v.content_hash, v.title, v.level, v.imported_at, v.validation_id,
                   (SELECT count(*) FROM submissions s WHERE s.challenge_version_id = v.id AND s.kind = 'submit')::int AS submissions,
                   v.id = (SELECT l.id FROM challenge_versions l WHERE l.pack_id = v.pack_id AND l.challenge_id = v.challenge_id ORDER BY l.imported_at DESC, l.id DESC LIMIT 1) AS latest
            FROM challenge_versions v WHERE v.pack_id = @packId
            ORDER BY v.level, v.challenge_id, v.imported_at DESC, v.id DESC
            """, new { packId }, cancellationToken: ct));
        var challenges = versions.GroupBy(v => v.ChallengeId)
            .Select(g => new ChallengeVersions(g.Key, [.. g.Select(v => new VersionSummary(v.Id, v.ContentHash, v.Title, v.Level, v.ImportedAt, v.ValidationId, v.Submissions, v.Latest))]))
            .ToList();
        return new PackDetail(p.Id, p.Title, p.ImportedAt, p.PublishedBy, p.ValidationId,
            JsonSerializer.Deserialize<List<AssessmentTemplate>>(p.Templates, BugHuntDatabase.Json)!, challenges);
    }

    /// <summary>The pack and challenge a version belongs to, or null.</summary>
    public async Task<(string PackId, string ChallengeId)?> OwnerAsync(Guid versionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<(string, string)?>(new CommandDefinition(
            "SELECT pack_id, challenge_id FROM challenge_versions WHERE id = @versionId", new { versionId }, cancellationToken: ct));
    }
}
