using BugHunt.Core.Sessions;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>The deadline rule: when a session takes work, and the status staff see.</summary>
public sealed class SessionWindowTests
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static Session Session(DateTime? started = null, DateTime? deadline = null, DateTime? finished = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "ada", 0, Start.AddMinutes(-5), started, deadline, finished);

    private static DateTimeOffset At(double minutes) => new(Start.AddMinutes(minutes));

    [Fact]
    public void Session_not_started_takes_no_work_and_is_not_started()
    {
        var session = Session();
        Assert.False(session.IsOpenAt(At(1)));
        Assert.Equal("not_started", session.StatusAt(At(1)));
    }

    [Fact]
    public void Started_session_takes_work_until_just_before_its_deadline()
    {
        var session = Session(Start, Start.AddMinutes(90));
        Assert.True(session.IsOpenAt(At(89.99)));
        Assert.Equal("in_progress", session.StatusAt(At(89.99)));
        Assert.False(session.IsOpenAt(At(90)));
        Assert.Equal("time_over", session.StatusAt(At(90)));
    }

    [Fact]
    public void Finished_session_takes_no_work_even_before_its_deadline()
    {
        var session = Session(Start, Start.AddMinutes(90), Start.AddMinutes(30));
        Assert.False(session.IsOpenAt(At(31)));
        Assert.Equal("finished", session.StatusAt(At(31)));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(90.0, null, true)]
    [InlineData(10.0, null, false)]
    [InlineData(90.0, 15.0, false)]
    public void Submission_window_is_the_same_rule_as_the_session_status(double? deadline, double? finished, bool open)
    {
        DateTime? Time(double? minutes) => minutes is { } m ? Start.AddMinutes(m) : null;
        Assert.Equal(open, BugHunt.Core.Sessions.Session.AcceptsWorkAt(Time(deadline), Time(finished), At(20)));
    }
}
