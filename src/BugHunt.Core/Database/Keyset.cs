using System.Globalization;

namespace BugHunt.Core.Database;

/// <summary>
/// Where a page of a list ends: the last row's sort value and id, as text, so one cursor format
/// serves every list. A store compares rows with it in SQL ((sort, id) after the position, in the
/// list's order), never with OFFSET: rows inserted meanwhile neither repeat nor hide others.
/// </summary>
public sealed record Keyset(string Sort, string Id)
{
    public static Keyset Of(DateTime sort, Guid id) => new(sort.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), id.ToString());

    public static Keyset Of(string sort, string id) => new(sort, id);

    /// <summary>The sort value as a time, for a list ordered by one (the cursor reader checked it reads as one).</summary>
    public DateTime SortTime => DateTime.Parse(Sort, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public Guid IdGuid => Guid.Parse(Id);
}

/// <summary>A page to read: at most <see cref="Limit"/> rows after <see cref="After"/> (from the start when null).</summary>
public sealed record PageRequest(int Limit, Keyset? After = null)
{
    /// <summary>Rows to ask the database for: one more than the page, which tells whether another page follows.</summary>
    public int Take => Limit + 1;

    public static PageRequest All { get; } = new(int.MaxValue - 1);
}

/// <summary>A page of rows and where the next one starts (null at the end).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, Keyset? Next)
{
    /// <summary>The page among <paramref name="rows"/> read with <see cref="PageRequest.Take"/>.</summary>
    public static Page<T> From(IReadOnlyList<T> rows, PageRequest request, Func<T, Keyset> key) =>
        rows.Count > request.Limit
            ? new Page<T>([.. rows.Take(request.Limit)], key(rows[request.Limit - 1]))
            : new Page<T>(rows, null);

    public Page<TOut> Select<TOut>(Func<T, TOut> map) => new([.. Items.Select(map)], Next);
}
