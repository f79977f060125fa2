using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using BugHunt.Core.Database;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Hosting;

/// <summary>A page of a list as every list endpoint returns it; <c>next_cursor</c> is null on the last page.</summary>
public sealed record PageView<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>What a list's keyset is made of, so a cursor is checked before it reaches SQL.</summary>
public enum KeyPart
{
    Time,
    Uuid,
    Text,
    Number,
    Real,
}

/// <summary>A list that pages: its name (a cursor of one list is refused by another) and its keyset's parts.</summary>
public sealed record PagedList(string Name, KeyPart Sort, KeyPart Id);

/// <summary>
/// Cursor paging, the same for every list endpoint: <c>?limit=</c> (default 50, 1..200) and
/// <c>?cursor=</c> from the previous page's <c>next_cursor</c>. A cursor is opaque to clients:
/// base64url of the list's name and its keyset position. One that does not decode, belongs to
/// another list or holds values of the wrong kind is a 400, never a query.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 200;

    /// <summary>The page a request asks for, or the 400 naming the parameter that is wrong.</summary>
    public static (PageRequest? Request, ProblemHttpResult? Problem) Read(HttpRequest http, PagedList list)
    {
        var limitText = http.Query["limit"].ToString();
        var limit = DefaultLimit;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (null, Bad("limit", $"limit must be a whole number from 1 to {MaxLimit} (default {DefaultLimit})."));
        }
        var cursor = http.Query["cursor"].ToString();
        if (cursor.Length == 0)
        {
            return (new PageRequest(limit), null);
        }
        return Decode(cursor, list) is { } after
            ? (new PageRequest(limit, after), null)
            : (null, Bad("cursor", "cursor is not one this list gave: pass next_cursor of the previous page unchanged, or leave it out for the first page."));
    }

    /// <summary>The list endpoint whole: reads the page asked for with <paramref name="read"/>, or answers the 400.</summary>
    public static async Task<Results<Ok<PageView<TOut>>, ProblemHttpResult>> ListAsync<T, TOut>(
        HttpRequest http, PagedList list, Func<PageRequest, Task<Page<T>>> read, Func<T, TOut> map)
    {
        var (page, problem) = Read(http, list);
        return page is null ? problem! : TypedResults.Ok(View(await read(page), list, map));
    }

    public static Task<Results<Ok<PageView<T>>, ProblemHttpResult>> ListAsync<T>(HttpRequest http, PagedList list, Func<PageRequest, Task<Page<T>>> read) =>
        ListAsync(http, list, read, x => x);

    public static PageView<TOut> View<T, TOut>(Page<T> page, PagedList list, Func<T, TOut> map) =>
        new([.. page.Items.Select(map)], page.Next is { } next ? Encode(next, list) : null);

    public static PageView<T> View<T>(Page<T> page, PagedList list) => View(page, list, x => x);

    private sealed record Position(string L, string S, string I);

    private static string Encode(Keyset position, PagedList list) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Position(list.Name, position.Sort, position.Id)));

    private static Keyset? Decode(string cursor, PagedList list)
    {
        try
        {
            var position = JsonSerializer.Deserialize<Position>(Base64Url.DecodeFromChars(cursor));
            return position is { L: var name, S: { } sort, I: { } id } && name == list.Name && Valid(sort, list.Sort) && Valid(id, list.Id)
                ? new Keyset(sort, id)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static bool Valid(string value, KeyPart part) => part switch
    {
        KeyPart.Time => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
        KeyPart.Uuid => Guid.TryParse(value, out _),
        KeyPart.Number => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        KeyPart.Real => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real),
        _ => value.Length <= 1000,
    };

    private static ProblemHttpResult Bad(string parameter, string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest,
        title: "Query not valid", extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
