using System.Buffers.Binary;
using System.Buffers.Text;

namespace BugHunt.Core.Webhooks;

/// <summary>
/// Where a page of a newest-first list ends: the (created_at, id) of its last row. Sent to clients
/// as opaque base64url, so they pass it back instead of building one.
/// </summary>
public sealed record KeysetCursor(DateTime CreatedAt, Guid Id)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.ToUniversalTime().Ticks);
        Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The cursor <paramref name="text"/> stands for, or null when it is not one this server made.</summary>
    public static KeysetCursor? Decode(string text)
    {
        Span<byte> bytes = stackalloc byte[24];
        // IsValid first: TryDecodeFromChars throws on characters outside the alphabet instead of returning false.
        if (text.Length != 32 || !Base64Url.IsValid(text, out var length) || length != 24 || !Base64Url.TryDecodeFromChars(text, bytes, out _))
        {
            return null;
        }
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return ticks is < 0 or > 3155378975999999999 ? null : new KeysetCursor(new DateTime(ticks, DateTimeKind.Utc), new Guid(bytes[8..], bigEndian: true));
    }

    /// <summary>A page from <paramref name="rows"/>, fetched with one row more than <paramref name="limit"/> to tell whether another page follows.</summary>
    public static Page<TItem> Paginate<TRow, TItem>(IReadOnlyList<TRow> rows, int limit, Func<TRow, KeysetCursor> key, Func<TRow, TItem> item) =>
        new([.. rows.Take(limit).Select(item)], rows.Count > limit ? key(rows[limit - 1]).Encode() : null);
}
