using Xunit;

namespace BugHunt.Testing;

/// <summary>
/// Where the real PostgreSQL and Docker engine are. A hand run without them skips with the reason;
/// under CI (CI set) nothing skips, so a missing service fails the run instead of hiding it.
/// </summary>
public static class TestEnvironment
{
    public const string DatabaseVariable = "BUGHUNT_TEST_DATABASE";

    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } v && v != "false" && v != "0";

    public static string DatabaseUrl => Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException($"{DatabaseVariable} is not set: run scripts/test.sh, which starts a private PostgreSQL.");

    public static string? PostgresSkipReason =>
        IsCi || Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 }
            ? null
            : $"needs PostgreSQL: {DatabaseVariable} is not set (scripts/test.sh starts one)";

    public static string? DockerSkipReason =>
        IsCi || (File.Exists("/var/run/docker.sock") && Environment.GetEnvironmentVariable("BUGHUNT_SANDBOX_IMAGE") is { Length: > 0 })
            ? null
            : "needs the Docker engine and BUGHUNT_SANDBOX_IMAGE (scripts/test.sh starts one and builds the image)";

    /// <summary>The repository root, found from the test's working folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BugHunt.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("BugHunt.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestEnvironment.PostgresSkipReason;
}

public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = TestEnvironment.PostgresSkipReason;
}

public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute() => Skip = TestEnvironment.DockerSkipReason;
}

public sealed class DockerTheoryAttribute : TheoryAttribute
{
    public DockerTheoryAttribute() => Skip = TestEnvironment.DockerSkipReason;
}

/// <summary>A test of the whole path: HTTP, PostgreSQL and Docker sandboxes.</summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute() => Skip = TestEnvironment.PostgresSkipReason ?? TestEnvironment.DockerSkipReason;
}
