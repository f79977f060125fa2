using System.Globalization;

namespace BugHunt.Grader.Grading;

/// <summary>How a grading worker claims and retries; <see cref="FromEnvironment"/> is the one place the environment is read.</summary>
public sealed record GraderOptions
{
    /// <summary>How long a claim holds without renewal (BUGHUNT_LEASE_SECONDS); a dead grader's job returns to the queue after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After this many claims that ended in an infrastructure failure, the verdict is SandboxError.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Pause before an infrastructure failure is retried.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How old an exited sandbox of a grader that is not alive must be before it is removed. Young
    /// ones are left alone: a grader of another deployment sharing the engine may still be reading one.
    /// </summary>
    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often an idle grader looks for such sandboxes (it also does when it starts).</summary>
    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The defaults, with the lease taken from BUGHUNT_LEASE_SECONDS when it is a whole number of at least 3.</summary>
    public static GraderOptions FromEnvironment()
    {
        var options = new GraderOptions();
        var text = Environment.GetEnvironmentVariable("BUGHUNT_LEASE_SECONDS");
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 3)
        {
            options.Lease = TimeSpan.FromSeconds(seconds);
        }
        return options;
    }
}
