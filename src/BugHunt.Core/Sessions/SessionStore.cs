using System.Security.Cryptography;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Webhooks;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Sessions;

/// <summary>
/// A candidate's session of an assessment. Times are UTC; the deadline is set on start and moved
/// only by extra time (<see cref="SessionStore.GrantExtraTimeAsync"/>).
/// </summary>
public sealed record Session(
    Guid Id,
    Guid AssessmentId,
    string? Candidate,
    int ExtraMinutes,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? Deadline,
    DateTime? FinishedAt,
    string? Email = null)
{
    /// <summary>The most extra time a session can have in all: its invite's and every later grant's together.</summary>
    public const int MaxExtraMinutes = 600;

    public bool IsOpenAt(DateTimeOffset now) => StartedAt is not null && AcceptsWorkAt(Deadline, FinishedAt, now);

    /// <summary>
    /// The deadline rule, decided here only: work is taken from the start (which sets the
    /// deadline) until just before the deadline, unless the candidate finished.
    /// </summary>
    public static bool AcceptsWorkAt(DateTime? deadline, DateTime? finishedAt, DateTimeOffset now) =>
        deadline is { } end && finishedAt is null && now.UtcDateTime < end;

    public string StatusAt(DateTimeOffset now) =>
        StartedAt is null ? "not_started"
        : FinishedAt is not null ? "finished"
        : now.UtcDateTime >= Deadline ? "time_over"
        : "in_progress";
}

public sealed record SessionLevel(int Position, string State, double BestScore, int Attempts, DateTime? UnlockedAt, DateTime? PassedAt, IReadOnlyDictionary<string, string>? Files);

public sealed record HintReveal(int Position, string HintId, double CostPoints, DateTime RevealedAt);

public sealed record OpenedSession(Guid SessionId, string Token);

/// <summary>Who an invite is for; either may be absent on a single invite.</summary>
public sealed record Invitee(string? Candidate, string? Email);

/// <summary>Extra time given to a running session, and why.</summary>
public sealed record TimeGrant(int Minutes, string Reason, DateTime GrantedAt);

public enum ExtraTimeProblem
{
    None,
    NotFound,
    NotStarted,
    Finished,
    TimeOver,

    /// <summary>The session's extra time would pass <see cref="Session.MaxExtraMinutes"/>.</summary>
    OverLimit,
}

public enum OpenProblem
{
    None,
    NotFound,
    Used,
    Expired,
}

/// <summary>Invites and the candidate sessions opened from them. Session tokens are stored hashed.</summary>
public sealed class SessionStore(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<string> CreateInviteAsync(
        Guid assessmentId, string? candidate, DateTimeOffset? expiresAt, int extraMinutes, bool reusable, CancellationToken ct) =>
        (await InsertInvitesAsync(assessmentId, [new Invitee(candidate, null)], expiresAt, extraMinutes, reusable, ct))[0];

    /// <summary>Single-use invites, one per invitee in order, all stored in one statement or none.</summary>
    public Task<IReadOnlyList<string>> CreateInvitesAsync(
        Guid assessmentId, IReadOnlyList<Invitee> invitees, DateTimeOffset expiresAt, int extraMinutes, CancellationToken ct) =>
        InsertInvitesAsync(assessmentId, invitees, expiresAt, extraMinutes, reusable: false, ct);

    private async Task<IReadOnlyList<string>> InsertInvitesAsync(
        Guid assessmentId, IReadOnlyList<Invitee> invitees, DateTimeOffset? expiresAt, int extraMinutes, bool reusable, CancellationToken ct)
    {
        var tokens = invitees.Select(_ => NewToken()).ToArray();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO invites (token, assessment_id, candidate, email, expires_at, extra_minutes, reusable, created_at)
            SELECT i.token, @assessmentId, i.candidate, i.email, @expiresAt, @extraMinutes, @reusable, @now
            FROM unnest(@tokens, @candidates, @emails) AS i (token, candidate, email)
            """, new
        {
            assessmentId,
            expiresAt,
            extraMinutes,
            reusable,
            now = clock.GetUtcNow(),
            tokens,
            candidates = invitees.Select(i => i.Candidate).ToArray(),
            emails = invitees.Select(i => i.Email).ToArray(),
        }, cancellationToken: ct));
        return tokens;
    }

    /// <summary>Opens a session from an invite: level 1 unlocked, the others locked, the clock not yet running.</summary>
    public async Task<(OpenedSession? Session, OpenProblem Problem)> OpenAsync(string inviteToken, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var invite = await connection.QuerySingleOrDefaultAsync<
            (Guid AssessmentId, string? Candidate, string? Email, int ExtraMinutes, bool Reusable, DateTime? UsedAt, DateTime? ExpiresAt)?>(new CommandDefinition("""
            SELECT assessment_id, candidate, email, extra_minutes, reusable, used_at, expires_at FROM invites
            WHERE token = @inviteToken AND assessment_id IS NOT NULL FOR UPDATE
            """, new { inviteToken }, tx, cancellationToken: ct));
        if (invite is not { } i)
        {
            return (null, OpenProblem.NotFound);
        }
        if (!i.Reusable && i.UsedAt is not null)
        {
            return (null, OpenProblem.Used);
        }
        if (i.ExpiresAt is { } expires && now.UtcDateTime >= expires)
        {
            return (null, OpenProblem.Expired);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE invites SET used_at = coalesce(used_at, @now) WHERE token = @inviteToken", new { inviteToken, now }, tx, cancellationToken: ct));
        var token = NewToken();
        var id = Guid.CreateVersion7(now);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO sessions (id, token_hash, invite_token, assessment_id, candidate, email, extra_minutes, created_at)
            VALUES (@id, @hash, @inviteToken, @AssessmentId, @Candidate, @Email, @ExtraMinutes, @now)
            """, new { id, hash = Hash(token), inviteToken, i.AssessmentId, i.Candidate, i.Email, i.ExtraMinutes, now },
            tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO session_levels (session_id, position, state, unlocked_at)
            SELECT @id, position, CASE WHEN position = 1 THEN 'unlocked' ELSE 'locked' END, CASE WHEN position = 1 THEN @now END
            FROM assessment_levels WHERE assessment_id = @AssessmentId
            """, new { id, i.AssessmentId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (new OpenedSession(id, token), OpenProblem.None);
    }

    /// <summary>
    /// Starts the clock on the first call, and reports session.started to webhooks in the same
    /// transaction; later calls return the session unchanged.
    /// </summary>
    public async Task<Session> StartAsync(Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var started = await connection.QuerySingleOrDefaultAsync<Session>(new CommandDefinition($"""
            UPDATE sessions s SET started_at = @now,
                deadline = @now + make_interval(mins => a.time_limit_minutes + s.extra_minutes)
            FROM assessments a
            WHERE s.id = @sessionId AND a.id = s.assessment_id AND s.started_at IS NULL
            RETURNING {Qualified("s")}
            """, new { sessionId, now }, tx, cancellationToken: ct));
        if (started is not null)
        {
            await WebhookOutbox.WriteAsync(connection, tx, WebhookEvents.SessionStarted, started.AssessmentId,
                new SessionStartedData(started.Id, started.AssessmentId, started.Candidate, started.Email, started.StartedAt!.Value, started.Deadline!.Value, WebhookLinks.ForSession(started.Id)),
                dedupeKey: null, now, ct);
        }
        await tx.CommitAsync(ct);
        return started ?? (await GetAsync(sessionId, ct))!;
    }

    /// <summary>Records what the candidate consented to (proctoring), before the clock starts.</summary>
    public async Task SetConsentAsync(Guid sessionId, object consent, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET consent = @consent::jsonb WHERE id = @sessionId AND started_at IS NULL",
            new { sessionId, consent = JsonSerializer.Serialize(consent, BugHuntDatabase.Json) }, cancellationToken: ct));
    }

    /// <summary>
    /// Gives a running session more time: its deadline moves by <paramref name="minutes"/> at once,
    /// for every API node, since each reads the deadline from here. The row is locked as a
    /// submission locks it to check the deadline, so a grant and a submission at the deadline
    /// are decided one after the other. Returns the session as it is after the grant, or as it
    /// was when refused.
    /// </summary>
    public async Task<(Session? Session, ExtraTimeProblem Problem)> GrantExtraTimeAsync(
        Guid sessionId, int minutes, string reason, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var session = await connection.QuerySingleOrDefaultAsync<Session>(new CommandDefinition(
            $"SELECT {SessionColumns} FROM sessions WHERE id = @sessionId AND assessment_id IS NOT NULL FOR UPDATE",
            new { sessionId }, tx, cancellationToken: ct));
        if (session is null)
        {
            return (null, ExtraTimeProblem.NotFound);
        }
        var problem = session.StatusAt(now) switch
        {
            "not_started" => ExtraTimeProblem.NotStarted,
            "finished" => ExtraTimeProblem.Finished,
            "time_over" => ExtraTimeProblem.TimeOver,
            _ when session.ExtraMinutes + minutes > Session.MaxExtraMinutes => ExtraTimeProblem.OverLimit,
            _ => ExtraTimeProblem.None,
        };
        if (problem != ExtraTimeProblem.None)
        {
            return (session, problem);
        }
        var granted = await connection.QuerySingleAsync<Session>(new CommandDefinition($"""
            UPDATE sessions SET extra_minutes = extra_minutes + @minutes, deadline = deadline + make_interval(mins => @minutes)
            WHERE id = @sessionId RETURNING {SessionColumns}
            """, new { sessionId, minutes }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO session_time_grants (session_id, minutes, reason, granted_at) VALUES (@sessionId, @minutes, @reason, @now)
            """, new { sessionId, minutes, reason, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (granted, ExtraTimeProblem.None);
    }

    public async Task<IReadOnlyList<TimeGrant>> TimeGrantsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<TimeGrant>(new CommandDefinition(
            "SELECT minutes, reason, granted_at FROM session_time_grants WHERE session_id = @sessionId ORDER BY granted_at, id",
            new { sessionId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Finishes a started session (the candidate's call), and reports session.finished to webhooks
    /// in the same transaction: once per session, whether the candidate or the deadline sweep
    /// (<see cref="WebhookSweep"/>) gets there first.
    /// </summary>
    public async Task<Session> FinishAsync(Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var finished = await connection.QuerySingleOrDefaultAsync<Session>(new CommandDefinition($"""
            UPDATE sessions SET finished_at = @now WHERE id = @sessionId AND finished_at IS NULL AND started_at IS NOT NULL
            RETURNING {SessionColumns}
            """, new { sessionId, now }, tx, cancellationToken: ct));
        if (finished is not null)
        {
            await WebhookSweep.WriteFinishedAsync(connection, tx, finished, now, ct);
        }
        await tx.CommitAsync(ct);
        return finished ?? (await GetAsync(sessionId, ct))!;
    }

    public async Task<Session?> FindByTokenAsync(string token, CancellationToken ct) =>
        await QuerySessionAsync("token_hash = @hash", new { hash = Hash(token) }, ct);

    public async Task<Session?> GetAsync(Guid id, CancellationToken ct) =>
        await QuerySessionAsync("id = @id", new { id }, ct);

    public async Task<IReadOnlyList<Session>> ListAsync(Guid assessmentId, CancellationToken ct) =>
        (await ListAsync(assessmentId, PageRequest.All, ct)).Items;

    /// <summary>A page of an assessment's sessions, oldest first.</summary>
    public async Task<Page<Session>> ListAsync(Guid assessmentId, PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Session>(new CommandDefinition($"""
            SELECT {SessionColumns} FROM sessions
            WHERE assessment_id = @assessmentId AND (@afterAt::timestamptz IS NULL OR (created_at, id) > (@afterAt::timestamptz, @afterId::uuid))
            ORDER BY created_at, id LIMIT @take
            """, new { assessmentId, afterAt = page.After?.SortTime, afterId = page.After?.IdGuid, take = page.Take }, cancellationToken: ct));
        return Page<Session>.From([.. rows], page, s => Keyset.Of(s.CreatedAt, s.Id));
    }

    public async Task<IReadOnlyList<SessionLevel>> LevelsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(int Position, string State, double BestScore, int Attempts, DateTime? UnlockedAt, DateTime? PassedAt, string? Files)>(new CommandDefinition("""
            SELECT position, state, best_score, attempts, unlocked_at, passed_at, files::text FROM session_levels
            WHERE session_id = @sessionId ORDER BY position
            """, new { sessionId }, cancellationToken: ct));
        return [.. rows.Select(r => new SessionLevel(r.Position, r.State, r.BestScore, r.Attempts, r.UnlockedAt, r.PassedAt,
            r.Files is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(r.Files, BugHuntDatabase.Json)))];
    }

    /// <summary>Saves the candidate's code for a level, so it carries over to the next visit.</summary>
    public async Task SaveFilesAsync(Guid sessionId, int position, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE session_levels SET files = coalesce(files, '{}'::jsonb) || @files::jsonb WHERE session_id = @sessionId AND position = @position
            """, new { sessionId, position, files = JsonSerializer.Serialize(files, BugHuntDatabase.Json) }, cancellationToken: ct));
    }

    /// <summary>Records a revealed hint once; revealing it again costs nothing more.</summary>
    public async Task<HintReveal> RevealHintAsync(Guid sessionId, int position, string hintId, double costPoints, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO hint_reveals (session_id, position, hint_id, cost_points, revealed_at) VALUES (@sessionId, @position, @hintId, @costPoints, @now)
            ON CONFLICT DO NOTHING
            """, new { sessionId, position, hintId, costPoints, now = clock.GetUtcNow() }, cancellationToken: ct));
        return await connection.QuerySingleAsync<HintReveal>(new CommandDefinition("""
            SELECT position, hint_id, cost_points, revealed_at FROM hint_reveals WHERE session_id = @sessionId AND position = @position AND hint_id = @hintId
            """, new { sessionId, position, hintId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<HintReveal>> HintsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<HintReveal>(new CommandDefinition(
            "SELECT position, hint_id, cost_points, revealed_at FROM hint_reveals WHERE session_id = @sessionId ORDER BY revealed_at", new { sessionId }, cancellationToken: ct))];
    }

    // In the order of Session's constructor, which Dapper fills.
    internal const string SessionColumns = "id, assessment_id, candidate, extra_minutes, created_at, started_at, deadline, finished_at, email";

    private static string Qualified(string alias) => string.Join(", ", SessionColumns.Split(", ").Select(c => $"{alias}.{c}"));

    private async Task<Session?> QuerySessionAsync(string where, object args, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Session>(new CommandDefinition(
            $"SELECT {SessionColumns} FROM sessions WHERE assessment_id IS NOT NULL AND {where}", args, cancellationToken: ct));
    }

    private static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(24));

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
