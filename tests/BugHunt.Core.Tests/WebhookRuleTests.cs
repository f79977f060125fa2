using BugHunt.Core.Integrity;
using BugHunt.Core.Webhooks;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>The webhook rules that need no server: retry schedule, list cursors, how a finish and a flag are reported.</summary>
public sealed class WebhookRuleTests
{
    private static readonly RetrySchedule Schedule = new(MaxAttempts: 5, BaseDelay: TimeSpan.FromSeconds(30), MaxDelay: TimeSpan.FromMinutes(3));

    [Fact]
    public void Retry_delay_doubles_after_each_failed_attempt_up_to_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Schedule.DelayAfter(1, jitter: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(60), Schedule.DelayAfter(2, jitter: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(120), Schedule.DelayAfter(3, jitter: 0.5));
        Assert.Equal(TimeSpan.FromMinutes(3), Schedule.DelayAfter(4, jitter: 0.5));
    }

    [Fact]
    public void Retry_jitter_spreads_a_delay_from_80_to_120_percent()
    {
        Assert.Equal(TimeSpan.FromSeconds(48), Schedule.DelayAfter(2, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(72), Schedule.DelayAfter(2, jitter: 1));
    }

    [Fact]
    public void The_last_attempt_has_no_retry_and_nor_has_a_redelivery_past_it()
    {
        Assert.Null(Schedule.DelayAfter(5, jitter: 0.5));
        Assert.Null(Schedule.DelayAfter(6, jitter: 0.5));
        Assert.NotNull(Schedule.DelayAfter(4, jitter: 0.5));
    }

    [Fact]
    public void Retry_after_of_a_receiver_delays_a_retry_but_never_past_the_cap_nor_adds_an_attempt()
    {
        // Longer than the backoff: the receiver's wait wins.
        Assert.Equal(TimeSpan.FromSeconds(100), Schedule.DelayAfter(1, jitter: 0.5, retryAfter: TimeSpan.FromSeconds(100)));
        // Shorter: the backoff stands, so a receiver cannot make BugHunt hammer it.
        Assert.Equal(TimeSpan.FromSeconds(60), Schedule.DelayAfter(2, jitter: 0.5, retryAfter: TimeSpan.FromSeconds(1)));
        // A day: capped at MaxDelay.
        Assert.Equal(TimeSpan.FromMinutes(3), Schedule.DelayAfter(1, jitter: 0.5, retryAfter: TimeSpan.FromDays(1)));
        Assert.Equal(Schedule.DelayAfter(3, jitter: 0.2), Schedule.DelayAfter(3, jitter: 0.2, retryAfter: null));
        Assert.Null(Schedule.DelayAfter(5, jitter: 0.5, retryAfter: TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Finish_before_the_deadline_is_the_candidate_s_and_after_it_is_time_over_at_the_deadline()
    {
        var deadline = new DateTime(2026, 12, 1, 18, 0, 0, DateTimeKind.Utc);
        Assert.Equal(("candidate", deadline.AddMinutes(-5)), WebhookOutbox.Finish(deadline, deadline.AddMinutes(-5)));
        Assert.Equal(("time_over", deadline), WebhookOutbox.Finish(deadline, deadline.AddMinutes(7)));
    }

    [Fact]
    public void Only_large_pastes_and_returns_to_the_page_may_raise_a_flag()
    {
        Assert.True(IntegrityFlags.MayRaise("paste", IntegrityFlags.LargePasteChars));
        Assert.False(IntegrityFlags.MayRaise("paste", IntegrityFlags.LargePasteChars - 1));
        Assert.True(IntegrityFlags.MayRaise("tab_visible", null));
        Assert.True(IntegrityFlags.MayRaise("window_focus", null));
        Assert.False(IntegrityFlags.MayRaise("tab_hidden", null));
        Assert.False(IntegrityFlags.MayRaise("copy", null));
    }

    [Fact]
    public void Raised_flags_name_their_kind_and_match_the_report_s_words()
    {
        var start = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        IReadOnlyList<IntegrityEvent> events =
        [
            new(1, "paste", start, 500, 1),
            new(2, "tab_hidden", start.AddSeconds(10), null, 1),
            new(3, "tab_visible", start.AddSeconds(100), null, 1),
        ];
        var raised = IntegrityFlags.Raised(events);
        Assert.Equal(["large_paste", "long_absence"], raised.Select(f => f.Kind));
        Assert.Equal(IntegrityFlags.For(events), raised.Select(f => f.Detail));
    }
}
