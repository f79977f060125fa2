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
        var flags = events.Where(e => e.Kind == "paste" && e.Size >= LargePasteChars)
            .Select(e => $"large paste: {e.Size} characters at {e.At:HH:mm:ss}").ToList();
        DateTime? hidden = null;
        foreach (var e in events)
        {
            if (e.Kind is "tab_hidden" or "window_blur")
            {
                hidden ??= e.At;
            }
            else if (e.Kind is "tab_visible" or "window_focus" && hidden is { } from)
            {
                if (e.At - from >= LongAbsence)
                {
                    flags.Add($"long absence: {(e.At - from).TotalSeconds:F0} s away from the page at {from:HH:mm:ss}");
                }
                hidden = null;
            }
        }
        if (hidden is { } left && until is { } end && end - left >= LongAbsence)
        {
            flags.Add($"long absence: away from the page since {left:HH:mm:ss}, no return recorded");
        }
        return flags;
    }
}
