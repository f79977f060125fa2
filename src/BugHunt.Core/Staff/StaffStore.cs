using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BugHunt.Core.Database;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Staff;

public sealed record StaffUser(string Name, StaffRole Role, DateTime CreatedAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public StaffActor ToActor() => new(Name, Role);
}

/// <summary>A user just added, with the key that is shown this once and never stored.</summary>
public sealed record StaffAdded(StaffUser User, string Key);

public enum RevokeOutcome
{
    Revoked,
    AlreadyRevoked,
    NotFound,
}

/// <summary>
/// Staff accounts and their API keys. A key is 256 random bits, base64url, after the prefix "bh_" so
/// that it is recognisable in a config file or a leak report; only its SHA-256 is stored. Each change
/// to an account is recorded in the audit log in the same transaction.
/// </summary>
public sealed partial class StaffStore(NpgsqlDataSource db, AuditLog audit, TimeProvider clock)
{
    public const string KeyPrefix = "bh_";

    /// <summary>How stale last_used_at may get: refreshing it on every request would be a write per read.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public const string NameRule = "1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\z")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored for a key: its SHA-256 as lowercase hex. A 256-bit key needs no salt or stretching.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <returns>The user and its key, or null when the name is taken (by any user, revoked ones included).</returns>
    public async Task<StaffAdded?> AddAsync(string name, StaffRole role, StaffActor actor, CancellationToken ct)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"A staff name is {NameRule}.", nameof(name));
        }
        var key = NewKey();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"""
            INSERT INTO staff_users (name, role, key_hash, created_at) VALUES (@name, @role, @hash, @now)
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """, new { name, role = role.Name(), hash = Hash(key), now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var user = row.ToUser();
        await audit.RecordAsync(connection, tx, actor, AuditActions.UserAdd, AuditTarget.User(user.Name), new { role = role.Name() }, ct);
        await tx.CommitAsync(ct);
        return new StaffAdded(user, key);
    }

    /// <summary>A page of staff users, by name (names are unique without regard to case).</summary>
    public async Task<Page<StaffUser>> ListAsync(PageRequest page, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition($"""
            SELECT {Columns} FROM staff_users WHERE @after::text IS NULL OR lower(name) > @after ORDER BY lower(name) LIMIT @take
            """, new { after = page.After?.Sort, take = page.Take }, cancellationToken: ct));
        return Page<StaffUser>.From([.. rows.Select(r => r.ToUser())], page, u => Keyset.Of(u.Name.ToLowerInvariant(), u.Name.ToLowerInvariant()));
    }

    public async Task<StaffUser?> GetAsync(string name, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM staff_users WHERE lower(name) = lower(@name)", new { name }, cancellationToken: ct)))?.ToUser();
    }

    /// <summary>Revokes the user's key for good; the user stays listed, with the time of the revocation.</summary>
    public async Task<(RevokeOutcome Outcome, StaffUser? User)> RevokeAsync(string name, StaffActor actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM staff_users WHERE lower(name) = lower(@name) FOR UPDATE", new { name }, tx, cancellationToken: ct));
        if (row is null)
        {
            return (RevokeOutcome.NotFound, null);
        }
        if (row.RevokedAt is not null)
        {
            return (RevokeOutcome.AlreadyRevoked, row.ToUser());
        }
        var revoked = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(
            $"UPDATE staff_users SET revoked_at = @now WHERE id = @Id RETURNING {Columns}", new { row.Id, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        await audit.RecordAsync(connection, tx, actor, AuditActions.UserRevoke, AuditTarget.User(row.Name), new { role = row.Role }, ct);
        await tx.CommitAsync(ct);
        return (RevokeOutcome.Revoked, revoked.ToUser());
    }

    /// <summary>
    /// The user a key belongs to, revoked or not (the caller says which), or null. The lookup is by the
    /// key's hash: timing can tell at most how much of a stored hash a guess's hash matches, which says
    /// nothing about any key. The match is confirmed in constant time all the same.
    /// </summary>
    public async Task<StaffUser?> FindByKeyAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }
        var hash = Hash(key);
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"""
            WITH touched AS (
                UPDATE staff_users SET last_used_at = @now
                WHERE key_hash = @hash AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < @stale)
            )
            SELECT {Columns}, key_hash FROM staff_users WHERE key_hash = @hash
            """, new { hash, now, stale = now - LastUsedResolution }, cancellationToken: ct));
        return row is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.KeyHash), Encoding.ASCII.GetBytes(hash)) ? row.ToUser() : null;
    }

    private const string Columns = "id, name, role, created_at, revoked_at, last_used_at";

    private sealed class UserRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string KeyHash { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
        public DateTime? LastUsedAt { get; init; }

        public StaffUser ToUser() => new(Name, StaffRoles.Parse(Role) ?? throw new InvalidOperationException($"staff_users holds an unknown role '{Role}'"), CreatedAt, RevokedAt, LastUsedAt);
    }
}
