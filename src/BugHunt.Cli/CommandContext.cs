using BugHunt.Core.Database;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BugHunt.Cli;

/// <summary>
/// What every command is composed from: options bound once from the environment when the command
/// starts, and the one clock. Commands take their database, sandboxes and graders from here.
/// </summary>
internal sealed record CommandContext(string? DatabaseUrl, SandboxOptions Sandbox, GraderOptions Grading, TimeProvider Clock)
{
    public static CommandContext FromEnvironment() => new(
        Environment.GetEnvironmentVariable(BugHuntDatabase.ConnectionStringVariable) is { Length: > 0 } url ? url : null,
        SandboxOptions.FromEnvironment(),
        GraderOptions.FromEnvironment(),
        TimeProvider.System);

    public NpgsqlDataSource OpenDatabase() => BugHuntDatabase.Open(DatabaseUrl
        ?? throw new UsageException($"set {BugHuntDatabase.ConnectionStringVariable} to a PostgreSQL connection string (scripts/serve.sh starts a private one)"));

    /// <summary>A sandbox on the configured engine, or a usage error saying what is missing.</summary>
    public async Task<DockerSandbox> SandboxAsync(CancellationToken ct)
    {
        var sandbox = new DockerSandbox(Sandbox, Clock);
        if (!await sandbox.IsAvailableAsync(ct))
        {
            sandbox.Dispose();
            throw new UsageException($"the Docker engine at {sandbox.Options.DockerEndpoint} does not answer or has no image {sandbox.Options.Image} (run sandbox/build-image.sh; scripts/serve.sh starts both)");
        }
        return sandbox;
    }

    public GraderInstance Grader(NpgsqlDataSource db, ILoggerFactory loggers) => GraderInstance.Create(db, Sandbox, Grading, Clock, loggers);
}
