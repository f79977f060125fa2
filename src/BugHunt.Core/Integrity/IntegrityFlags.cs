namespace BugHunt.Core.Integrity;

/// <summary>What the proctor console is told to look at; the console draws these, it does not re-decide them.</summary>
public sealed record FlagThresholds(int LargePasteChars, double LongAbsenceSeconds);

/// <summary>
/// The integrity rules, in one place next to the event kinds: which pastes are large and which
/// absences from the page are long.
/// </summary>
public static class IntegrityFlags
{
    public const int LargePasteChars = 200;

    public static readonly TimeSpan LongAbsence = TimeSpan.FromMinutes(1);

    public static FlagThresholds Thresholds { get; } = new(LargePasteChars, LongAbsence.TotalSeconds);

    /// <summary>
    /// What a proctor should look at: large pastes and long absences from the page, including one
    /// still open at <paramref name="until"/> (now, or when the session ended).
    /// </summary>
    public static List<string> For(IReadOnlyList<IntegrityEvent> events, DateTime? until = null)
    {
        var (raised, open) = Walk(events);
        var flags = raised.Select(f => f.Detail).ToList();
        if (until is { } end && OpenAbsence(open, end) is { } absence)
        {
            flags.Add(absence.Detail);
        }
        return flags;
    }

    /// <summary>The long absence still open at <paramref name="end"/>: the candidate left the page and no return was recorded before it.</summary>
    public static Flag? OpenAbsenceAt(IReadOnlyList<IntegrityEvent> events, DateTime end) => OpenAbsence(Walk(events).OpenAbsence, end);

    private static Flag? OpenAbsence(DateTime? left, DateTime end) =>
        left is { } from && end - from >= LongAbsence
            ? new Flag("long_absence", $"long absence: away from the page since {from:HH:mm:ss}, no return recorded")
            : null;

    /// <summary>The flags the events themselves raise (an absence counts once the candidate is back), large pastes first.</summary>
    public static List<Flag> Raised(IReadOnlyList<IntegrityEvent> events) => Walk(events).Flags;

    /// <summary>The raised flags, and when an absence still open at the last event began.</summary>
    private static (List<Flag> Flags, DateTime? OpenAbsence) Walk(IReadOnlyList<IntegrityEvent> events)
    {
        var flags = events.Where(e => e.Kind == "paste" && e.Size >= LargePasteChars)
            .Select(e => new Flag("large_paste", $"large paste: {e.Size} characters at {e.At:HH:mm:ss}")).ToList();
        DateTime? hidden = null;
        foreach (var e in events)
        {
            if (IsLeave(e.Kind))
            {
                hidden ??= e.At;
            }
            else if (IsReturn(e.Kind) && hidden is { } from)
            {
                if (e.At - from >= LongAbsence)
                {
                    flags.Add(new Flag("long_absence", $"long absence: {(e.At - from).TotalSeconds:F0} s away from the page at {from:HH:mm:ss}"));
                }
                hidden = null;
            }
        }
        return (flags, hidden);
    }

    /// <summary>Whether an event of this kind can raise a flag; others need no look at the session's history.</summary>
    public static bool MayRaise(string kind, int? size) => (kind == "paste" && size >= LargePasteChars) || IsReturn(kind);

    private static bool IsLeave(string kind) => kind is "tab_hidden" or "window_blur";

    private static bool IsReturn(string kind) => kind is "tab_visible" or "window_focus";
}

/// <param name="Kind">large_paste or long_absence.</param>
/// <param name="Detail">What the report says.</param>
public sealed record Flag(string Kind, string Detail);
