using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Submissions;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Authoring;

public enum RejudgeState
{
    Pending,
    Applied,
    Discarded,
}

/// <summary>One submission of the rejudged version, graded again: its verdict then and now (null until graded).</summary>
public sealed record RejudgeItem(
    Guid SubmissionId,
    Guid SessionId,
    string? Candidate,
    int? Level,
    string OldVerdict,
    double OldScore,
    string Status,
    string? NewVerdict,
    double? NewScore)
{
    /// <summary>Whether the regrade could not be run (a verdict stored in either spelling).</summary>
    public static bool IsSandboxError(string? verdict) => VerdictKinds.TryParse(verdict, out var kind) && kind == VerdictKind.SandboxError;

    /// <summary>Graded again with a different verdict or score; a regrade the sandbox could not run changes nothing.</summary>
    public bool Changes => NewVerdict is { } v && !IsSandboxError(v) && (VerdictKinds.Normalize(v) != VerdictKinds.Normalize(OldVerdict) || Math.Abs(NewScore!.Value - OldScore) > 1e-9);
}

public sealed record Rejudge(
    Guid Id,
    Guid FromVersionId,
    Guid ToVersionId,
    string Pack,
    string Challenge,
    string RequestedBy,
    DateTime RequestedAt,
    RejudgeState State,
    string? DecidedBy,
    DateTime? DecidedAt,
    int Total,
    int Graded,
    int Unchanged,
    int CouldNotGrade,
    IReadOnlyList<RejudgeItem> Changes)
{
    public bool Complete => Graded == Total;

    /// <summary>The versions' content hashes, which name them for people (version ids made the same minute look alike).</summary>
    public string FromContentHash { get; init; } = "";

    public string ToContentHash { get; init; } = "";
}

public enum RejudgeOutcome
{
    Done,
    NotFound,
    NotPending,
    NotGraded,
}

/// <summary>
/// Grades the scored submissions of one challenge version again, against another version, without
/// touching them: each regrade is a submission of kind 'rejudge'. The result is a diff a recruiter
/// applies (the old verdicts are kept in submission_rejudgements, the levels' scores follow) or discards.
/// </summary>
public sealed class RejudgeStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>Starts a rejudge; null when <paramref name="from"/> has no graded submissions to regrade.</summary>
    public async Task<(Guid Id, int Count)?> StartAsync(Guid from, Guid to, string requestedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO rejudges (id, from_version_id, to_version_id, requested_by, requested_at, state) VALUES (@id, @from, @to, @requestedBy, @now, 'pending')
            """, new { id, from, to, requestedBy, now }, tx, cancellationToken: ct));
        var count = await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO submissions (id, session_id, challenge_version_id, level_position, kind, files, status, created_at, rejudge_id, rejudge_of)
            SELECT gen_random_uuid(), s.session_id, @to, s.level_position, 'rejudge', s.files, 'queued', @now, @id, s.id
            FROM submissions s WHERE s.challenge_version_id = @from AND s.kind = 'submit' AND s.status = 'done';
            NOTIFY {SubmissionStore.QueueChannel};
            """, new { id, from, to, now }, tx, cancellationToken: ct));
        if (count == 0)
        {
            await tx.RollbackAsync(ct);
            return null;
        }
        await tx.CommitAsync(ct);
        return (id, count);
    }

    public async Task<Rejudge?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await ReadAsync(connection, null, id, ct);
    }

    /// <summary>A page of rejudges, newest first.</summary>
    public async Task<Page<Rejudge>> ListAsync(PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition("""
            SELECT id FROM rejudges
            WHERE @afterAt::timestamptz IS NULL OR (requested_at, id) < (@afterAt::timestamptz, @afterId::uuid)
            ORDER BY requested_at DESC, id DESC LIMIT @take
            """, new { afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct));
        var list = new List<Rejudge>();
        foreach (var id in ids)
        {
            list.Add((await ReadAsync(connection, null, id, ct))!);
        }
        return Page<Rejudge>.From(list, page, r => Keyset.Of(r.RequestedAt, r.Id));
    }

    /// <summary>
    /// Applies every change at once: the submission takes its new verdict, score and version (its
    /// old ones are kept in its history), and each level touched gets its best score and pass state
    /// again from its submissions. Levels unlocked by a pass stay unlocked.
    /// </summary>
    public async Task<(RejudgeOutcome Outcome, Rejudge? Rejudge)> ApplyAsync(Guid id, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (outcome, rejudge) = await LockPendingAsync(connection, tx, id, ct);
        if (outcome != RejudgeOutcome.Done)
        {
            return (outcome, rejudge);
        }
        if (!rejudge!.Complete)
        {
            return (RejudgeOutcome.NotGraded, rejudge);
        }
        foreach (var change in rejudge.Changes)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO submission_rejudgements (submission_id, rejudge_id, previous_verdict, previous_score, previous_result, previous_version, new_verdict, new_score, applied_by, applied_at)
                SELECT o.id, @id, o.verdict, o.score, o.result, o.challenge_version_id, r.verdict, r.score, @actor, @now
                FROM submissions o JOIN submissions r ON r.rejudge_of = o.id AND r.rejudge_id = @id
                WHERE o.id = @SubmissionId;
                UPDATE submissions o SET verdict = r.verdict, score = r.score, result = r.result, challenge_version_id = r.challenge_version_id
                FROM submissions r WHERE r.rejudge_of = o.id AND r.rejudge_id = @id AND o.id = @SubmissionId;
                """, new { id, actor, now, change.SubmissionId }, tx, cancellationToken: ct));
        }
        foreach (var level in rejudge.Changes.Where(c => c.Level is not null).Select(c => (c.SessionId, Position: c.Level!.Value)).Distinct())
        {
            await RescoreLevelAsync(connection, tx, level.SessionId, level.Position, now, ct);
        }
        await DecideAsync(connection, tx, id, RejudgeState.Applied, actor, now, ct);
        await tx.CommitAsync(ct);
        return (RejudgeOutcome.Done, await ReadAsync(connection, null, id, ct));
    }

    public async Task<(RejudgeOutcome Outcome, Rejudge? Rejudge)> DiscardAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (outcome, _) = await LockPendingAsync(connection, tx, id, ct);
        if (outcome != RejudgeOutcome.Done)
        {
            return (outcome, await ReadAsync(connection, tx, id, ct));
        }
        await DecideAsync(connection, tx, id, RejudgeState.Discarded, actor, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return (RejudgeOutcome.Done, await ReadAsync(connection, null, id, ct));
    }

    /// <summary>The rejudges applied to one submission, oldest first, for the candidate's history.</summary>
    public async Task<IReadOnlyList<SubmissionRejudgement>> HistoryAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var history = await connection.QueryAsync<SubmissionRejudgement>(new CommandDefinition("""
            SELECT h.submission_id, h.rejudge_id, h.previous_verdict, h.previous_score, h.previous_version, h.new_verdict, h.new_score, h.applied_by, h.applied_at
            FROM submission_rejudgements h JOIN submissions s ON s.id = h.submission_id
            WHERE s.session_id = @sessionId ORDER BY h.applied_at
            """, new { sessionId }, cancellationToken: ct));
        return [.. history.Select(h => h with { PreviousVerdict = VerdictKinds.Normalize(h.PreviousVerdict)!, NewVerdict = VerdictKinds.Normalize(h.NewVerdict)! })];
    }

    private static async Task<(RejudgeOutcome, Rejudge?)> LockPendingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT state FROM rejudges WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
        var rejudge = state is null ? null : await ReadAsync(connection, tx, id, ct);
        return state switch
        {
            null => (RejudgeOutcome.NotFound, null),
            "pending" => (RejudgeOutcome.Done, rejudge),
            _ => (RejudgeOutcome.NotPending, rejudge),
        };
    }

    private static Task DecideAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, RejudgeState state, string actor, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rejudges SET state = @state, decided_by = @actor, decided_at = @now WHERE id = @id",
            new { id, state = state.ToString().ToLowerInvariant(), actor, now }, tx, cancellationToken: ct));

    private static async Task RescoreLevelAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid sessionId, int position, DateTimeOffset now, CancellationToken ct)
    {
        var passed = await connection.QuerySingleOrDefaultAsync<bool>(new CommandDefinition("""
            WITH best AS (
                SELECT coalesce(max(score), 0) AS score FROM submissions
                WHERE session_id = @sessionId AND level_position = @position AND kind = 'submit' AND status = 'done')
            UPDATE session_levels sl
            SET best_score = best.score,
                state = CASE WHEN best.score >= al.pass_threshold - 1e-9 THEN 'passed' WHEN sl.state = 'passed' THEN 'unlocked' ELSE sl.state END,
                passed_at = CASE WHEN best.score >= al.pass_threshold - 1e-9 THEN coalesce(sl.passed_at, @now) ELSE NULL END
            FROM best, sessions s JOIN assessment_levels al ON al.assessment_id = s.assessment_id
            WHERE sl.session_id = @sessionId AND sl.position = @position AND s.id = sl.session_id AND al.position = sl.position
            RETURNING sl.state = 'passed'
            """, new { sessionId, position, now }, tx, cancellationToken: ct));
        if (passed)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE session_levels SET state = 'unlocked', unlocked_at = @now WHERE session_id = @sessionId AND position = @next AND state = 'locked'
                """, new { sessionId, next = position + 1, now }, tx, cancellationToken: ct));
        }
    }

    private static async Task<Rejudge?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid id, CancellationToken ct)
    {
        var head = await connection.QuerySingleOrDefaultAsync<(Guid Id, Guid From, Guid To, string Pack, string Challenge, string RequestedBy, DateTime RequestedAt, string State, string? DecidedBy, DateTime? DecidedAt, string FromHash, string ToHash)?>(new CommandDefinition("""
            SELECT r.id, r.from_version_id, r.to_version_id, v.pack_id, v.challenge_id, r.requested_by, r.requested_at, r.state, r.decided_by, r.decided_at,
                   f.content_hash, v.content_hash
            FROM rejudges r JOIN challenge_versions v ON v.id = r.to_version_id JOIN challenge_versions f ON f.id = r.from_version_id WHERE r.id = @id
            """, new { id }, tx, cancellationToken: ct));
        if (head is not { } h)
        {
            return null;
        }
        // After an apply the originals carry the new verdicts; their history row has the old ones.
        var items = (await connection.QueryAsync<RejudgeItem>(new CommandDefinition("""
            SELECT o.id AS submission_id, o.session_id, se.candidate, o.level_position AS level,
                   coalesce(hist.previous_verdict, o.verdict) AS old_verdict, coalesce(hist.previous_score, o.score) AS old_score,
                   r.status, r.verdict AS new_verdict, r.score AS new_score
            FROM submissions r
            JOIN submissions o ON o.id = r.rejudge_of
            JOIN sessions se ON se.id = o.session_id
            LEFT JOIN submission_rejudgements hist ON hist.submission_id = o.id AND hist.rejudge_id = r.rejudge_id
            WHERE r.rejudge_id = @id ORDER BY o.created_at
            """, new { id }, tx, cancellationToken: ct))).ToList();
        // Verdicts stored before they were spelled snake_case read the same.
        var graded = items.Where(i => i.Status == "done")
            .Select(i => i with { OldVerdict = VerdictKinds.Normalize(i.OldVerdict)!, NewVerdict = VerdictKinds.Normalize(i.NewVerdict) }).ToList();
        return new Rejudge(h.Id, h.From, h.To, h.Pack, h.Challenge, h.RequestedBy, h.RequestedAt, Enum.Parse<RejudgeState>(h.State, ignoreCase: true), h.DecidedBy, h.DecidedAt,
            items.Count, graded.Count, graded.Count(i => !i.Changes && !RejudgeItem.IsSandboxError(i.NewVerdict)),
            graded.Count(i => RejudgeItem.IsSandboxError(i.NewVerdict)), [.. graded.Where(i => i.Changes)])
        {
            FromContentHash = h.FromHash,
            ToContentHash = h.ToHash,
        };
    }
}

public sealed record SubmissionRejudgement(Guid SubmissionId, Guid RejudgeId, string PreviousVerdict, double PreviousScore, Guid PreviousVersion, string NewVerdict, double NewScore, string AppliedBy, DateTime AppliedAt);
