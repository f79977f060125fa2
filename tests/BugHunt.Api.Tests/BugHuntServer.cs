using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Api.Hosting;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// A real BugHunt for the tests: the API on a loopback port over real HTTP, the test PostgreSQL,
/// and (when Docker is there) a grading worker driving real sandboxes. Nothing is faked.
/// </summary>
public sealed class BugHuntServer : IAsyncLifetime
{
    private WebApplication? _app;
    private CancellationTokenSource? _graderStop;
    private Task? _grader;
    private DockerSandbox? _sandbox;

    public NpgsqlDataSource Db { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public Guid AttentionVersion { get; private set; }

    public Challenge Attention { get; private set; } = null!;

    public static readonly JsonSerializerOptions Json = BugHuntDatabase.Json;

    public async Task InitializeAsync()
    {
        if (TestEnvironment.PostgresSkipReason is not null)
        {
            return;
        }
        Db = BugHuntDatabase.Open(TestEnvironment.DatabaseUrl);
        await Migrator.MigrateAsync(Db, Migrator.Embedded(), CancellationToken.None);
        var pack = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"));
        var imported = await new ChallengeStore(Db, TimeProvider.System).ImportAsync(pack, CancellationToken.None);
        AttentionVersion = imported.Single(c => c.ChallengeId == "causal-attention").VersionId;
        Attention = pack.Challenges.Single(c => c.Id == "causal-attention");

        _app = BugHuntApi.Build([], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration[BugHuntDatabase.ConnectionStringVariable] = TestEnvironment.DatabaseUrl;
            b.Logging.ClearProviders();
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);

        if (TestEnvironment.DockerSkipReason is null && TestEnvironment.PostgresSkipReason is null)
        {
            _sandbox = new DockerSandbox(new SandboxOptions());
            var worker = new GradingWorker(Db, new SubmissionStore(Db, TimeProvider.System), new ChallengeStore(Db, TimeProvider.System),
                _sandbox, new GraderOptions { PollInterval = TimeSpan.FromMilliseconds(500) }, NullLogger<GradingWorker>.Instance);
            _graderStop = new CancellationTokenSource();
            _grader = Task.Run(() => worker.RunAsync(_graderStop.Token));
        }
    }

    public async Task DisposeAsync()
    {
        if (_graderStop is not null)
        {
            await _graderStop.CancelAsync();
            await _grader!;
        }
        _sandbox?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A new candidate: a fresh invite opened over HTTP; returns a client carrying the session token.</summary>
    public async Task<(HttpClient Client, Guid SessionId)> NewCandidateAsync()
    {
        var invite = await new SessionStore(Db, TimeProvider.System).CreateInviteAsync(AttentionVersion, reusable: false, CancellationToken.None);
        using var anonymous = Client();
        var response = await anonymous.PostAsync($"/api/invites/{invite}/sessions", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var opened = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (Client(opened.GetProperty("token").GetString()), opened.GetProperty("session_id").GetGuid());
    }

    public async Task<Guid> SubmitAsync(HttpClient candidate, IReadOnlyDictionary<string, string> files)
    {
        var response = await candidate.PostAsJsonAsync("/api/session/submissions", new { files }, Json);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queued", body.GetProperty("status").GetString());
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>Polls the submission over HTTP until it has its verdict.</summary>
    public static async Task<JsonElement> VerdictAsync(HttpClient candidate, Guid id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var body = await candidate.GetFromJsonAsync<JsonElement>($"/api/session/submissions/{id}");
            if (body.GetProperty("status").GetString() == "done")
            {
                return body;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"submission {id} has no verdict after {timeout}: {body}");
            }
            await Task.Delay(250);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<BugHuntServer>
{
    public const string Name = "server";
}
