using BugHunt.Testing;
using Xunit;

namespace BugHunt.Browser.Tests;

/// <summary>
/// A test in a real browser against the whole BugHunt: PostgreSQL, Docker sandboxes, Chromium and
/// the built pages. A hand run without one of them skips with the reason; under CI it fails.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    private bool _needsSandbox = true;

    public BrowserFactAttribute() => Skip = SkipReason(needsSandbox: true);

    /// <summary>False for a test that grades nothing (the staff console alone): it then runs without the Docker engine.</summary>
    public bool NeedsSandbox
    {
        get => _needsSandbox;
        set
        {
            _needsSandbox = value;
            Skip = SkipReason(value);
        }
    }

    private static string? SkipReason(bool needsSandbox) =>
        TestEnvironment.PostgresSkipReason ?? (needsSandbox ? TestEnvironment.DockerSkipReason : null) ?? BrowserSkipReason;

    public static string WebRoot => Path.Combine(TestEnvironment.RepositoryRoot(), "src", "BugHunt.Api", "wwwroot");

    private static string? BrowserSkipReason =>
        TestEnvironment.IsCi ? null
        : !File.Exists(HeadlessChromium.Executable) ? $"needs Chromium at {HeadlessChromium.Executable} (scripts/test.sh installs it)"
        : !File.Exists(Path.Combine(WebRoot, "candidate.html")) ? "needs the built pages in src/BugHunt.Api/wwwroot (scripts/test.sh builds them)"
        : null;
}
