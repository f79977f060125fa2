using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Sessions;

public sealed record Session(Guid Id, Guid ChallengeVersionId, DateTime CreatedAt);

public sealed record OpenedSession(Guid SessionId, string Token);

/// <summary>Invites and the candidate sessions opened from them. Session tokens are stored hashed.</summary>
public sealed class SessionStore(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<string> CreateInviteAsync(Guid challengeVersionId, bool reusable, CancellationToken ct)
    {
        var token = NewToken();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO invites (token, challenge_version_id, reusable, created_at) VALUES (@token, @challengeVersionId, @reusable, @now)
            """, new { token, challengeVersionId, reusable, now = clock.GetUtcNow() }, cancellationToken: ct));
        return token;
    }

    /// <summary>Opens a session from an invite; null when the invite does not exist or was already used.</summary>
    public async Task<OpenedSession?> OpenAsync(string inviteToken, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var versionId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            UPDATE invites SET used_at = coalesce(used_at, @now)
            WHERE token = @inviteToken AND (reusable OR used_at IS NULL)
            RETURNING challenge_version_id
            """, new { inviteToken, now }, tx, cancellationToken: ct));
        if (versionId is null)
        {
            return null;
        }
        var token = NewToken();
        var id = Guid.CreateVersion7(now);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO sessions (id, token_hash, invite_token, challenge_version_id, created_at)
            VALUES (@id, @hash, @inviteToken, @versionId, @now)
            """, new { id, hash = Hash(token), inviteToken, versionId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new OpenedSession(id, token);
    }

    public async Task<Session?> FindByTokenAsync(string token, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Session>(new CommandDefinition(
            "SELECT id, challenge_version_id, created_at FROM sessions WHERE token_hash = @hash",
            new { hash = Hash(token) }, cancellationToken: ct));
    }

    private static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(24));

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
