using BugHunt.Core.Integrity;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>The integrity rules on hand-built event lists: which pastes are large, which absences long.</summary>
public sealed class IntegrityFlagTests
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static IntegrityEvent Event(string kind, double seconds, int? size = null) => new(0, kind, Start.AddSeconds(seconds), size, 1);

    [Fact]
    public void Paste_of_the_threshold_or_more_is_flagged_and_a_smaller_one_is_not()
    {
        var flags = IntegrityFlags.For([Event("paste", 10, IntegrityFlags.LargePasteChars - 1), Event("paste", 20, IntegrityFlags.LargePasteChars)]);
        Assert.Equal(["large paste: 200 characters at 09:00:20"], flags);
    }

    [Fact]
    public void Absence_of_a_minute_or_more_is_flagged_with_its_length()
    {
        var flags = IntegrityFlags.For([Event("tab_hidden", 0), Event("tab_visible", 59), Event("window_blur", 100), Event("window_focus", 175)]);
        Assert.Equal(["long absence: 75 s away from the page at 09:01:40"], flags);
    }

    [Fact]
    public void Blur_after_hide_counts_from_the_first_and_ends_at_the_first_return()
    {
        var flags = IntegrityFlags.For([Event("tab_hidden", 0), Event("window_blur", 30), Event("window_focus", 70), Event("tab_visible", 200)]);
        Assert.Equal(["long absence: 70 s away from the page at 09:00:00"], flags);
    }

    [Fact]
    public void Absence_still_open_is_flagged_only_once_it_is_long_by_the_given_end()
    {
        IntegrityEvent[] events = [Event("tab_hidden", 0)];
        Assert.Empty(IntegrityFlags.For(events, Start.AddSeconds(30)));
        Assert.Equal(["long absence: away from the page since 09:00:00, no return recorded"], IntegrityFlags.For(events, Start.AddSeconds(60)));
        Assert.Empty(IntegrityFlags.For(events));
    }

    [Fact]
    public void Open_absence_at_the_end_is_a_long_absence_flag_and_a_closed_one_is_not()
    {
        Assert.Equal(new Flag("long_absence", "long absence: away from the page since 09:00:10, no return recorded"),
            IntegrityFlags.OpenAbsenceAt([Event("paste", 0, 5), Event("tab_hidden", 10), Event("window_blur", 20)], Start.AddSeconds(70)));
        Assert.Null(IntegrityFlags.OpenAbsenceAt([Event("tab_hidden", 10)], Start.AddSeconds(69)));
        // Away and back, however long: that flag was raised by the return, not by the end.
        Assert.Null(IntegrityFlags.OpenAbsenceAt([Event("tab_hidden", 0), Event("tab_visible", 300)], Start.AddSeconds(900)));
        Assert.Null(IntegrityFlags.OpenAbsenceAt([], Start.AddHours(1)));
    }

    [Fact]
    public void Thresholds_served_to_the_console_are_the_ones_the_rules_use()
    {
        Assert.Equal(IntegrityFlags.LargePasteChars, IntegrityFlags.Thresholds.LargePasteChars);
        Assert.Equal(IntegrityFlags.LongAbsence.TotalSeconds, IntegrityFlags.Thresholds.LongAbsenceSeconds);
    }
}
