using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Api.Hosting;
using BugHunt.Api.Pages;
using BugHunt.Api.Submissions;
using BugHunt.Core.Database;
using BugHunt.Core.Integrity;
using BugHunt.Core.Packs;
using BugHunt.Core.Staff;
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
    private GraderInstance? _graderInstance;

    public NpgsqlDataSource Db { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public Guid AttentionVersion { get; private set; }

    public Challenge Attention { get; private set; } = null!;

    public static readonly JsonSerializerOptions Json = BugHuntDatabase.Json;

    public const string AdminKey = "test-admin-key-0123456789abcdef";

    /// <summary>BUGHUNT_METRICS_TOKEN of every API the tests start.</summary>
    public const string MetricsToken = "test-metrics-token-0123456789";

    /// <summary>The API's clock: real time plus whatever a test moved it forward by.</summary>
    public ManualClock Clock { get; } = new();

    public Guid NumericsVersion { get; private set; }

    /// <summary>How long a submission stream of the tests' APIs stays silent before its keepalive comment.</summary>
    public static readonly TimeSpan StreamHeartbeat = TimeSpan.FromMilliseconds(300);

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
        NumericsVersion = imported.Single(c => c.ChallengeId == "numerics-warmup").VersionId;
        Attention = pack.Challenges.Single(c => c.Id == "causal-attention");

        (_app, BaseAddress) = await StartApiAsync(new SubmissionRules());

        if (TestEnvironment.DockerSkipReason is null && TestEnvironment.PostgresSkipReason is null)
        {
            _graderInstance = GraderInstance.Create(Db, SandboxOptions.FromEnvironment(), new GraderOptions { PollInterval = TimeSpan.FromMilliseconds(500) },
                TimeProvider.System, NullLoggerFactory.Instance);
            _graderStop = new CancellationTokenSource();
            _grader = Task.Run(() => _graderInstance.RunAsync(_graderStop.Token));
        }
    }

    public async Task DisposeAsync()
    {
        if (_graderStop is not null)
        {
            await _graderStop.CancelAsync();
            await _grader!;
        }
        _graderInstance?.Dispose();
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

    /// <summary>The services of the API the tests share (its endpoints, its stores).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>
    /// Starts an API over real HTTP on a free loopback port, with the given submission rules (and
    /// snapshot limits), and whatever endpoints <paramref name="map"/> adds to the app's own.
    /// Its webhook dispatcher is off unless <paramref name="configure"/> turns it on: deliveries are
    /// made only by the APIs a webhook test starts for them, on a short retry schedule.
    /// </summary>
    public async Task<(WebApplication App, Uri Address)> StartApiAsync(
        SubmissionRules rules, SnapshotLimits? snapshots = null, Action<WebApplication>? map = null, Action<WebApplicationBuilder>? configure = null)
    {
        var app = Program.Build([], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration[BugHuntDatabase.ConnectionStringVariable] = TestEnvironment.DatabaseUrl;
            b.Configuration["BUGHUNT_ADMIN_KEY"] = AdminKey;
            b.Configuration["BUGHUNT_METRICS_TOKEN"] = MetricsToken;
            // The pages as scripts/test.sh built them from web/.
            b.Configuration[WebPages.WebRootVariable] = Path.Combine(TestEnvironment.RepositoryRoot(), "src", "BugHunt.Api", "wwwroot");
            b.Services.AddSingleton<TimeProvider>(Clock);
            b.Services.AddSingleton(rules);
            // A heartbeat well inside a test's patience.
            b.Services.AddSingleton(new SubmissionStreamOptions { Heartbeat = StreamHeartbeat });
            if (snapshots is not null)
            {
                b.Services.AddSingleton(snapshots);
            }
            b.Configuration["BUGHUNT_WEBHOOKS_DISPATCH"] = "false";
            b.Configuration["BUGHUNT_WEBHOOK_POLL_SECONDS"] = "0.05";
            b.Configuration["BUGHUNT_WEBHOOK_RETRY_BASE_SECONDS"] = "0.2";
            b.Configuration["BUGHUNT_WEBHOOK_RETRY_MAX_SECONDS"] = "1";
            b.Configuration["BUGHUNT_WEBHOOK_TIMEOUT_SECONDS"] = "5";
            b.Logging.ClearProviders();
            configure?.Invoke(b);
        });
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>A client with the bootstrap admin key.</summary>
    public HttpClient Admin() => Staff(AdminKey);

    /// <summary>A client sending <paramref name="key"/> as X-Api-Key.</summary>
    public HttpClient Staff(string key, Uri? address = null)
    {
        var client = ContractCheck.Client(address ?? BaseAddress);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A new staff user with <paramref name="role"/> (a unique name starting with the role); returns the name and its key.</summary>
    public async Task<(string Name, string Key)> NewStaffAsync(StaffRole role)
    {
        var name = $"{role.Name()}-{Guid.NewGuid().ToString("N")[..10]}";
        var store = new StaffStore(Db, new AuditLog(Db, Clock), Clock);
        var added = await store.AddAsync(name, role, new StaffActor("tests", StaffRole.Admin), CancellationToken.None);
        return (name, added!.Key);
    }

    /// <summary>Creates an assessment through the admin API; returns its id.</summary>
    public async Task<Guid> CreateAssessmentAsync(object? body = null)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/assessments", body ?? new
        {
            name = "attention only " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention", points = 100 } },
        }, Json);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<string> InviteAsync(Guid assessment, object? body = null)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync($"/api/admin/assessments/{assessment}/invites", body ?? new { candidate = "Ada" }, Json);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Opens an invite over HTTP and, unless told otherwise, starts the clock.</summary>
    public async Task<(HttpClient Client, Guid SessionId)> OpenAsync(string invite, bool start = true)
    {
        using var anonymous = Client();
        var response = await anonymous.PostAsync($"/api/invites/{invite}/sessions", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var opened = await response.Content.ReadFromJsonAsync<JsonElement>();
        var client = Client(opened.GetProperty("token").GetString());
        if (start)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync("/api/session/start", null)).StatusCode);
        }
        return (client, opened.GetProperty("session_id").GetGuid());
    }

    /// <summary>A started webcam-proctored session with one snapshot: its id, the snapshot's id and bytes.</summary>
    public async Task<(Guid Session, long Snapshot, byte[] Png)> ProctoredSnapshotAsync()
    {
        var assessment = await CreateAssessmentAsync(new
        {
            name = "proctored " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention" } },
            proctoring = new { webcam = true, screen = false },
        });
        var (candidate, sessionId) = await OpenAsync(await InviteAsync(assessment), start: false);
        using (candidate)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await candidate.PostAsJsonAsync("/api/session/start", new { consent = new { webcam = true } })).StatusCode);
            byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7, 7];
            using var content = new ByteArrayContent(png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            var stored = await candidate.PostAsync("/api/session/snapshots?kind=webcam", content);
            Assert.Equal(System.Net.HttpStatusCode.Created, stored.StatusCode);
            return (sessionId, (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), png);
        }
    }

    /// <summary>The same candidate, talking to another API instance.</summary>
    public static HttpClient Rebase(HttpClient candidate, Uri address)
    {
        var client = ContractCheck.Client(address);
        client.DefaultRequestHeaders.Authorization = candidate.DefaultRequestHeaders.Authorization;
        return client;
    }

    public HttpClient Client(string? token = null)
    {
        var client = ContractCheck.Client(BaseAddress);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A new candidate in a started one-level (causal attention) assessment.</summary>
    public async Task<(HttpClient Client, Guid SessionId)> NewCandidateAsync() =>
        await OpenAsync(await InviteAsync(await CreateAssessmentAsync()));

    public async Task<Guid> SubmitAsync(HttpClient candidate, IReadOnlyDictionary<string, string> files, int level = 1, string kind = "submissions")
    {
        var response = await candidate.PostAsJsonAsync($"/api/session/levels/{level}/{kind}", new { files }, Json);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queued", body.GetProperty("status").GetString());
        return body.GetProperty("id").GetGuid();
    }

    private const string DebugHelper = """

        public static class AttentionDebug
        {
            public static double Checksum(TorchSharp.torch.Tensor t, int rounds)
            {
                double acc = 0;
                for (int r = 0; r < rounds; r++) { acc = acc * 31 + t.sum().ToDouble() + r; }
                return acc / (rounds + 1);
            }
        }
        """;

    /// <summary>
    /// Three candidates of a causal-attention assessment save their fixes: Alice adds a helper to the
    /// reference fix, Bob the same helper with its names changed, Carol only the reference fix.
    /// Returns their session ids in that order.
    /// </summary>
    public async Task<List<Guid>> SaveAlikeFixesAsync(Guid assessment)
    {
        var reference = Attention.ReferenceFiles["Attention.cs"];
        var copy = DebugHelper.Replace("Checksum", "Digest", StringComparison.Ordinal).Replace("acc", "total", StringComparison.Ordinal).Replace("rounds", "n", StringComparison.Ordinal);
        var ids = new List<Guid>();
        foreach (var (name, code) in new[] { ("Alice", reference + DebugHelper), ("Bob", reference + "\n// tidied\n" + copy), ("Carol", reference) })
        {
            var (candidate, sessionId) = await OpenAsync(await InviteAsync(assessment, new { candidate = name }));
            using (candidate)
            {
                var saved = await candidate.PutAsJsonAsync("/api/session/levels/1/files", new { files = new Dictionary<string, string> { ["Attention.cs"] = code } });
                Assert.Equal(System.Net.HttpStatusCode.NoContent, saved.StatusCode);
            }
            ids.Add(sessionId);
        }
        return ids;
    }

    /// <summary>Every item of a paged list endpoint, following next_cursor from page to page.</summary>
    public static async Task<List<JsonElement>> AllItemsAsync(HttpClient client, string path, int limit = 200)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"{path}{(path.Contains('?') ? '&' : '?')}limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return items;
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

/// <summary>System time plus an offset that tests move forward to pass deadlines.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<BugHuntServer>
{
    public const string Name = "server";
}
