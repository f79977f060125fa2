using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BugHunt.Api.Admin;

namespace BugHunt.Api.Submissions;

/// <summary>What a valid stream ticket lets its bearer read: one submission of one session, until it expires.</summary>
public sealed record StreamGrant(Guid SessionId, Guid SubmissionId, DateTimeOffset ExpiresAt);

/// <summary>A ticket as the candidate gets it.</summary>
public sealed record StreamTicketView(string Ticket, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived, read-only permission to follow one submission's event stream, for the browser's
/// EventSource, which cannot send the session token's Authorization header. A ticket is stateless:
/// session id, submission id and expiry, signed with HMAC-SHA256 under a key derived from the
/// bootstrap admin key, so every API node behind a load balancer accepts every node's tickets and
/// a leaked ticket cannot be stretched to another submission or a later time. It travels in a URL,
/// so it grants the least it can: one stream, <see cref="Lifetime"/>, and the session must still be
/// unfinished when it is used (finishing revokes every ticket issued before).
/// </summary>
public sealed class StreamTickets(AdminOptions admin, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const byte Version = 1;
    private const int BodyLength = 1 + 16 + 16 + 8;
    private const int MacLength = 32;

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(admin.Key), 32,
        info: "bughunt submission stream ticket v1"u8.ToArray());

    public StreamTicketView Issue(Guid sessionId, Guid submissionId)
    {
        // Whole seconds: the expiry the candidate is told is the one the ticket carries.
        var expires = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        var ticket = new byte[BodyLength + MacLength];
        ticket[0] = Version;
        sessionId.TryWriteBytes(ticket.AsSpan(1, 16));
        submissionId.TryWriteBytes(ticket.AsSpan(17, 16));
        BinaryPrimitives.WriteInt64BigEndian(ticket.AsSpan(33, 8), expires.ToUnixTimeSeconds());
        HMACSHA256.HashData(_key, ticket.AsSpan(0, BodyLength), ticket.AsSpan(BodyLength));
        return new StreamTicketView(Base64Url.EncodeToString(ticket), expires);
    }

    /// <summary>The grant a ticket carries if it is genuine and unexpired; otherwise null and why, in words for the candidate.</summary>
    public (StreamGrant? Grant, string? Problem) Read(string ticket)
    {
        var bytes = new byte[BodyLength + MacLength];
        if (!Base64Url.IsValid(ticket, out var length) || length != bytes.Length
            || !Base64Url.TryDecodeFromChars(ticket, bytes, out _) || bytes[0] != Version)
        {
            return (null, "The stream ticket is not valid.");
        }
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(_key, bytes.AsSpan(0, BodyLength), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes.AsSpan(BodyLength)))
        {
            return (null, "The stream ticket is not valid.");
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(33, 8)));
        if (clock.GetUtcNow() >= expires)
        {
            return (null, $"The stream ticket expired at {expires:HH:mm:ss} UTC; ask for a new one (POST its submission's stream-ticket).");
        }
        return (new StreamGrant(new Guid(bytes.AsSpan(1, 16)), new Guid(bytes.AsSpan(17, 16)), expires), null);
    }
}
