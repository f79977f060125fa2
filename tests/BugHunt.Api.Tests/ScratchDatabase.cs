using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Npgsql;

namespace BugHunt.Api.Tests;

/// <summary>
/// A migrated database of a test class's own on the test server, dropped afterwards: for tests that
/// run graders (no other grader may take their queue) or delete across all sessions. Every such
/// database is named bughunt_check_*, so that leftovers of a crashed run are easy to find.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string name, string connectionString, NpgsqlDataSource db)
    {
        Name = name;
        ConnectionString = connectionString;
        Db = db;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource Db { get; }

    public static async Task<ScratchDatabase> CreateAsync(string purpose, bool migrate = true)
    {
        var name = $"bughunt_check_{purpose}_{Guid.NewGuid().ToString("N")[..10]}";
        await using (var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl))
        {
            await admin.CreateCommand($"CREATE DATABASE {name}").ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.DatabaseUrl) { Database = name }.ConnectionString;
        var db = BugHuntDatabase.Open(connectionString);
        if (migrate)
        {
            await Migrator.MigrateAsync(db, Migrator.Embedded(), CancellationToken.None);
        }
        return new ScratchDatabase(name, connectionString, db);
    }

    /// <summary>A reusable invite to a new assessment of causal-attention levels (one unless told otherwise).</summary>
    public async Task<(Guid Version, Challenge Challenge, string Invite)> AttentionInviteAsync(int levels = 1)
    {
        var clock = TimeProvider.System;
        var pack = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"));
        var version = (await new ChallengeStore(Db, clock).ImportAsync(pack, CancellationToken.None)).Single(c => c.ChallengeId == "causal-attention").VersionId;
        var assessment = await new AssessmentStore(Db, clock).CreateAsync(new NewAssessment("faults", 90, 100 * levels, 0, false, "", new ProctoringRequirements(false, false),
            [.. Enumerable.Repeat(new NewLevel(version, 100, 1), levels)]), CancellationToken.None);
        var invite = await new SessionStore(Db, clock).CreateInviteAsync(assessment, "x", null, 0, true, CancellationToken.None);
        return (version, pack.Challenges.Single(c => c.Id == "causal-attention"), invite);
    }

    /// <summary>A started session of a new attention assessment with one submission queued straight in the store (the reference unless told otherwise).</summary>
    public async Task<(Guid SessionId, Guid Id)> SubmitDirectAsync(IReadOnlyDictionary<string, string>? files = null, string kind = "submit", int levels = 1)
    {
        var (version, challenge, invite) = await AttentionInviteAsync(levels);
        var sessions = new SessionStore(Db, TimeProvider.System);
        var (opened, _) = await sessions.OpenAsync(invite, CancellationToken.None);
        await sessions.StartAsync(opened!.SessionId, CancellationToken.None);
        var result = await new SubmissionStore(Db, TimeProvider.System).EnqueueAsync(
            new NewSubmission(opened.SessionId, 1, version, kind, files ?? challenge.ReferenceFiles, null), new SubmissionRules(), CancellationToken.None);
        return (opened.SessionId, result.Id!.Value);
    }

    public async Task<long> CountAsync(string where)
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM submissions WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl);
        await admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)").ExecuteNonQueryAsync();
    }
}
