using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>The debugging workbench through the candidate API: a level's notebook, its runs in the sandbox, the notes, the reviewer's view.</summary>
[Collection(ServerCollection.Name)]
public sealed class NotebookApiTests(BugHuntServer server)
{
    private async Task<(HttpClient Client, Guid Session)> NumericsCandidateAsync()
    {
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "notebook " + Guid.NewGuid().ToString("N")[..6],
            levels = new object[]
            {
                new { pack = "lab-screen", challenge = "numerics-warmup", points = 100 },
                new { pack = "lab-screen", challenge = "causal-attention", points = 100 },
            },
        });
        return await server.OpenAsync(await server.InviteAsync(assessment));
    }

    [PostgresFact]
    public async Task A_level_opens_with_the_authors_starting_notebook_and_keeps_what_the_candidate_saves()
    {
        var (candidate, _) = await NumericsCandidateAsync();
        var fresh = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook");
        Assert.True(fresh.GetProperty("starting").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("last_run").ValueKind);
        var cells = fresh.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
        Assert.Equal(4, cells.Count);
        Assert.Contains("Numerics.Softmax(logits, 1)", cells[0], StringComparison.Ordinal);

        var save = await candidate.PutAsJsonAsync("/api/session/levels/1/notebook", new { cells = new[] { "var x = 1;", "x + 1" }, notes = "softmax looks fine; logsumexp overflows" }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        var saved = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook");
        Assert.False(saved.GetProperty("starting").GetBoolean());
        Assert.Equal(["var x = 1;", "x + 1"], saved.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        Assert.Equal("softmax looks fine; logsumexp overflows", saved.GetProperty("notes").GetString());

        // Notes alone keep the cells; an empty body is refused.
        Assert.Equal(HttpStatusCode.NoContent, (await candidate.PutAsJsonAsync("/api/session/levels/1/notebook", new { notes = "logsumexp overflows at 1000" }, BugHuntServer.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await candidate.PutAsJsonAsync("/api/session/levels/1/notebook", new { }, BugHuntServer.Json)).StatusCode);
        var notesOnly = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook");
        Assert.Equal(2, notesOnly.GetProperty("cells").GetArrayLength());
        Assert.Equal("logsumexp overflows at 1000", notesOnly.GetProperty("notes").GetString());

        // A locked level has no notebook yet, and bad input changes nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await candidate.GetAsync("/api/session/levels/2/notebook")).StatusCode);
        var tooMany = await candidate.PutAsJsonAsync("/api/session/levels/1/notebook", new { cells = Enumerable.Repeat("1", 41) }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var badUpTo = await candidate.PostAsJsonAsync("/api/session/levels/1/notebook/runs", new { cells = new[] { "1" }, up_to = 2 }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, badUpTo.StatusCode);
        Assert.Equal(2, (await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook")).GetProperty("cells").GetArrayLength());
    }

    [DockerFact]
    public async Task The_starting_notebook_runs_on_the_candidates_files_and_shows_the_symptom_then_the_fix()
    {
        var (candidate, session) = await NumericsCandidateAsync();
        var level = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1");
        var starter = level.GetProperty("files").GetProperty("Numerics.cs").GetString()!;
        var cells = (await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook")).GetProperty("cells").EnumerateArray()
            .Select(c => c.GetProperty("code").GetString()!).ToList();

        var first = await RunAsync(candidate, cells, starter);
        Assert.Equal("completed", first.GetProperty("outcome").GetProperty("outcome").GetString());
        var results = first.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("result")).ToList();
        Assert.Equal(["ok", "ok", "ok", "ok"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("Infinity", LogSumExp(results[1])[1]);
        var loss = results[2].GetProperty("displays")[0];
        Assert.Equal(("line", "training loss", 60), (loss.GetProperty("kind").GetString(), loss.GetProperty("label").GetString(), loss.GetProperty("values").GetArrayLength()));

        // Fix the overflow (the reference's file), run again: the second row is now finite.
        var reference = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen", "numerics-warmup", "reference", "Numerics.cs"));
        var second = await RunAsync(candidate, cells, reference, wait: true);
        var fixedResults = second.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("result")).ToList();
        Assert.InRange(double.Parse(LogSumExp(fixedResults[1])[1], System.Globalization.CultureInfo.InvariantCulture), 1002.40, 1002.41);

        // The outputs are saved with the cells, so a reload shows them.
        var notebook = await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook");
        Assert.All(notebook.GetProperty("cells").EnumerateArray(), c => Assert.Equal("ok", c.GetProperty("output").GetProperty("status").GetString()));
        Assert.Equal(second.GetProperty("id").GetGuid(), notebook.GetProperty("last_run").GetProperty("id").GetGuid());
        Assert.Equal("completed", notebook.GetProperty("last_run").GetProperty("outcome").GetProperty("outcome").GetString());

        // Nothing of the hidden tests is in a run: no probe source, no hidden test name, no reference code the candidate did not send.
        var json = first.GetRawText();
        var challenge = PackLoaderHelper.Numerics();
        foreach (var test in challenge.Tests.Where(t => t.Visibility == BugHunt.Core.Packs.Visibility.Hidden))
        {
            Assert.DoesNotContain(test.Id, json, StringComparison.Ordinal);
        }
        foreach (var probe in challenge.Probes)
        {
            Assert.DoesNotContain(probe.Code.Split('\n').First(l => l.Trim().Length > 30).Trim(), json, StringComparison.Ordinal);
        }

        // The reviewer sees the runs, their cells and outputs, and the notes.
        await candidate.PutAsJsonAsync("/api/session/levels/1/notebook", new { cells, notes = "LogSumExp overflowed on large logits; subtracting the max fixed it" }, BugHuntServer.Json);
        var (_, proctorKey) = await server.NewStaffAsync(StaffRole.Proctor);
        using var proctor = server.Staff(proctorKey);
        var report = await proctor.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{session}/report");
        Assert.Equal(2, report.GetProperty("notebook_runs").GetArrayLength());
        Assert.Equal(cells, report.GetProperty("notebook_runs")[0].GetProperty("cells").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("LogSumExp overflowed on large logits; subtracting the max fixed it", report.GetProperty("notes").GetProperty("1").GetString());
    }

    [DockerFact]
    public async Task A_cell_that_breaks_the_policy_is_refused_and_later_cells_do_not_run()
    {
        var (candidate, _) = await NumericsCandidateAsync();
        var run = await RunAsync(candidate, ["var a = 2;", "System.IO.File.ReadAllText(\"/etc/passwd\")", "a + 1"], null);
        var results = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("result")).ToList();
        Assert.Equal("ok", results[0].GetProperty("status").GetString());
        Assert.Equal("policy_violation", results[1].GetProperty("status").GetString());
        Assert.Contains("File", results[1].GetProperty("diagnostics")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("skipped", results[2].GetProperty("status").GetString());
    }

    [DockerFact]
    public async Task Running_up_to_a_cell_runs_those_and_keeps_the_cells_after_it()
    {
        var (candidate, _) = await NumericsCandidateAsync();
        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/notebook/runs", new { cells = new[] { "var a = 1;", "a + 1", "a + 2" }, up_to = 2 }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await WaitAsync(candidate, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        Assert.Equal(["2"], run.GetProperty("results").EnumerateArray().Skip(1).Select(r => r.GetProperty("result").GetProperty("value").GetString()));
        Assert.Equal(2, run.GetProperty("cells").GetArrayLength());
        var notebook = (await candidate.GetFromJsonAsync<JsonElement>("/api/session/levels/1/notebook")).GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(["var a = 1;", "a + 1", "a + 2"], notebook.Select(c => c.GetProperty("code").GetString()));
        Assert.Equal("ok", notebook[1].GetProperty("output").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, notebook[2].GetProperty("output").ValueKind);
    }

    /// <summary>Ways out of the sandbox's policy spelled in a cell rather than in a file: none may run.</summary>
    public static TheoryData<string> EscapingCells() =>
    [
        "System.IO.File.OpenRead(\"/etc/passwd\").Length",
        "new System.IO.StreamReader(\"/etc/passwd\").ReadToEnd()",
        "System.Environment.GetEnvironmentVariable(\"PATH\")",
        "GetType().Assembly.GetTypes().Length",
        "typeof(Numerics).Assembly.Location",
        "System.Diagnostics.Process.GetCurrentProcess().Id",
        "System.AppContext.BaseDirectory",
        "TorchSharp.torch.load(\"/etc/passwd\")",
        "System.Runtime.InteropServices.Marshal.ReadByte(System.IntPtr.Zero)",
        "dynamic d = 1; d.ToString()",
        "System.Activator.CreateInstance(typeof(System.Text.StringBuilder))",
        "System.Threading.Tasks.Task.Run(() => 1).Result",
        "new System.Net.Http.HttpClient()",
        "System.AppDomain.CurrentDomain.GetAssemblies().Length",
        "((System.Func<string>)(() => System.IO.Directory.GetCurrentDirectory()))()",
    ];

    [DockerTheory]
    [MemberData(nameof(EscapingCells))]
    public async Task A_cell_that_reaches_outside_the_policy_does_not_run(string cell)
    {
        var (candidate, _) = await NumericsCandidateAsync();
        var run = await RunAsync(candidate, ["var before = 1;", cell], null);
        var second = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("cell").GetInt32() == 1).GetProperty("result");
        Assert.True(second.GetProperty("status").GetString() is "policy_violation" or "compile_error", second.GetRawText());
    }

    [DockerFact]
    public async Task One_run_at_a_time_per_session()
    {
        var (candidate, _) = await NumericsCandidateAsync();
        var first = await candidate.PostAsJsonAsync("/api/session/levels/1/notebook/runs", new { cells = new[] { "var n = 0; for (var i = 0; i < 5_000_000; i++) n += i % 3;", "n" } }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var second = await candidate.PostAsJsonAsync("/api/session/levels/1/notebook/runs", new { cells = new[] { "1" } }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await WaitAsync(candidate, id);
    }

    /// <summary>The values of a cell's first display as text (JSON carries NaN and infinities as strings).</summary>
    private static string[] LogSumExp(JsonElement cell) =>
        [.. cell.GetProperty("displays")[0].GetProperty("values").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture))];

    private static async Task<JsonElement> RunAsync(HttpClient candidate, IReadOnlyList<string> cells, string? numerics, bool wait = true)
    {
        object body = numerics is null ? new { cells } : new { cells, files = new Dictionary<string, string> { ["Numerics.cs"] = numerics } };
        var response = await candidate.PostAsJsonAsync("/api/session/levels/1/notebook/runs", body, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return await WaitAsync(candidate, id);
    }

    private static async Task<JsonElement> WaitAsync(HttpClient candidate, Guid id)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < until)
        {
            var run = await candidate.GetFromJsonAsync<JsonElement>($"/api/session/notebook-runs/{id}");
            if (run.GetProperty("status").GetString() == "done")
            {
                return run;
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"notebook run {id} did not finish");
    }

    private static class PackLoaderHelper
    {
        public static BugHunt.Core.Packs.Challenge Numerics() =>
            BugHunt.Core.Packs.PackLoader.Load(TestPacks.LabScreen).Challenges.Single(c => c.Id == "numerics-warmup");
    }
}
