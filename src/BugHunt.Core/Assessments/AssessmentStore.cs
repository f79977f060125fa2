using System.Text.Json;
using BugHunt.Core.Database;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Assessments;

public sealed class AssessmentStore(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<Guid> CreateAsync(NewAssessment a, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO assessments (id, name, time_limit_minutes, max_points, pass_points, hints_allowed, ai_policy, proctoring, created_at)
            VALUES (@id, @Name, @TimeLimitMinutes, @MaxPoints, @PassPoints, @HintsAllowed, @AiPolicy, @proctoring::jsonb, @now)
            """, new { id, a.Name, a.TimeLimitMinutes, a.MaxPoints, a.PassPoints, a.HintsAllowed, a.AiPolicy, proctoring = JsonSerializer.Serialize(a.Proctoring, BugHuntDatabase.Json), now }, tx, cancellationToken: ct));
        var position = 0;
        foreach (var level in a.Levels)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO assessment_levels (assessment_id, position, challenge_version_id, points, pass_threshold)
                VALUES (@id, @position, @ChallengeVersionId, @Points, @PassThreshold)
                """, new { id, position = ++position, level.ChallengeVersionId, level.Points, level.PassThreshold }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task<Assessment?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AssessmentRow>(new CommandDefinition("""
            SELECT id, name, time_limit_minutes, max_points, pass_points, hints_allowed, ai_policy, proctoring::text AS proctoring, created_at
            FROM assessments WHERE id = @id
            """, new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var levels = await connection.QueryAsync<AssessmentLevel>(new CommandDefinition("""
            SELECT l.position, l.challenge_version_id, v.pack_id, v.challenge_id, v.title, l.points, l.pass_threshold
            FROM assessment_levels l JOIN challenge_versions v ON v.id = l.challenge_version_id
            WHERE l.assessment_id = @id ORDER BY l.position
            """, new { id }, cancellationToken: ct));
        return new Assessment(row.Id, row.Name, row.TimeLimitMinutes, row.MaxPoints, row.PassPoints, row.HintsAllowed, row.AiPolicy,
            JsonSerializer.Deserialize<ProctoringRequirements>(row.Proctoring, BugHuntDatabase.Json)!, [.. levels], row.CreatedAt);
    }

    /// <summary>Every assessment, newest first, with how many sessions it has.</summary>
    /// <summary>A page of assessments, newest first.</summary>
    public async Task<Page<AssessmentListing>> ListAsync(PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AssessmentListing>(new CommandDefinition("""
            SELECT a.id, a.name, a.time_limit_minutes, a.max_points, a.pass_points, a.created_at,
                   (SELECT count(*) FROM assessment_levels l WHERE l.assessment_id = a.id)::int AS levels,
                   (SELECT count(*) FROM sessions s WHERE s.assessment_id = a.id)::int AS sessions
            FROM assessments a
            WHERE @afterAt::timestamptz IS NULL OR (a.created_at, a.id) < (@afterAt::timestamptz, @afterId::uuid)
            ORDER BY a.created_at DESC, a.id DESC LIMIT @take
            """, new { afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct));
        return Page<AssessmentListing>.From([.. rows], page, a => Keyset.Of(a.CreatedAt, a.Id));
    }

    private sealed class AssessmentRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public int TimeLimitMinutes { get; init; }
        public int MaxPoints { get; init; }
        public int PassPoints { get; init; }
        public bool HintsAllowed { get; init; }
        public string AiPolicy { get; init; } = "";
        public string Proctoring { get; init; } = "{}";
        public DateTime CreatedAt { get; init; }
    }
}
