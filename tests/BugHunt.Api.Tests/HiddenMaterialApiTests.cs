using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// Through the candidate API: a submission that throws and prints what it was given during a
/// hidden test learns nothing of it from any response, while the proctor's report keeps it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HiddenMaterialApiTests(BugHuntServer server)
{
    [EndToEndFact]
    public async Task Hidden_inputs_and_probe_source_appear_in_no_candidate_response_but_in_the_staff_report()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        // The public probe feeds B=2; the wide hidden probe feeds B=3: leak its input then.
        var leaking = server.Attention.ReferenceFiles["Attention.cs"].Replace(
            "long B = x.shape[0], T = x.shape[1];",
            """
            long B = x.shape[0], T = x.shape[1];
            var seen = string.Join(",", x.reshape(-1).to(torch.float64).data<double>().ToArray());
            Console.WriteLine("PRINTED<" + seen + ">");
            if (B == 3) { Console.Write(new string('x', 40_000)); throw new ArgumentException("LEAK<" + seen + ">"); }
            """,
            StringComparison.Ordinal);
        Assert.NotEqual(server.Attention.ReferenceFiles["Attention.cs"], leaking);

        var id = await server.SubmitAsync(candidate, new Dictionary<string, string> { ["Attention.cs"] = leaking });
        var verdict = await BugHuntServer.VerdictAsync(candidate, id);
        var responses = new[]
        {
            verdict.GetRawText(),
            await candidate.GetStringAsync($"/api/session/submissions/{id}"),
            await candidate.GetStringAsync("/api/session/submissions"),
        };
        // The level view holds the candidate's own code (with its LEAK marker): it is searched for probe source only.
        var level = await candidate.GetStringAsync("/api/session/levels/1");

        Assert.True(verdict.GetProperty("verdict").GetString() == "runtime_error", verdict.GetRawText());
        Assert.Equal("an exception was thrown during the hidden tests", verdict.GetProperty("message").GetString());
        Assert.False(verdict.GetProperty("console_truncated").GetBoolean());
        // The public probe calls forward once: its print is shown, none of the hidden probes' are.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(verdict.GetProperty("console").GetString()!, "PRINTED<"));
        var hiddenProbes = server.Attention.Probes.Where(p => !server.Attention.IsPublicProbe(p.Id)).ToList();
        Assert.NotEmpty(hiddenProbes);
        foreach (var body in responses.Append(level))
        {
            if (body != level)
            {
                Assert.DoesNotContain("LEAK<", body, StringComparison.Ordinal);
                Assert.DoesNotContain("ArgumentException", body, StringComparison.Ordinal);
            }
            foreach (var probe in hiddenProbes)
            {
                // Any distinctive line of a hidden probe's source.
                var line = probe.Code.Split('\n').Select(l => l.Trim()).First(l => l.Length > 30 && !l.StartsWith("using", StringComparison.Ordinal));
                Assert.DoesNotContain(line, body, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("hidden_seed", body, StringComparison.Ordinal);
            Assert.DoesNotContain("compile_ms", body, StringComparison.Ordinal);
        }
        var wall = verdict.GetProperty("timings").GetProperty("wall_ms").GetDouble();
        Assert.Equal(0, wall % 100);

        using var admin = server.Admin();
        var report = await admin.GetStringAsync($"/api/admin/sessions/{sessionId}/report");
        Assert.Contains("LEAK<", report, StringComparison.Ordinal);
        Assert.Contains("\"seeds\"", report, StringComparison.Ordinal);
    }

    [EndToEndFact]
    public async Task Bugs_found_by_fault_class_are_in_the_staff_report_and_in_no_candidate_response()
    {
        var (candidate, sessionId) = await server.NewCandidateAsync();
        var scale = server.Attention.Bugs.Single(b => b.Id == "scale");
        var id = await server.SubmitAsync(candidate, scale.Files);
        var verdict = await BugHuntServer.VerdictAsync(candidate, id);
        Assert.True(verdict.GetProperty("verdict").GetString() == "wrong_answer", verdict.GetRawText());

        using var admin = server.Admin();
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
        var bugs = report.GetProperty("bugs").EnumerateArray().ToDictionary(b => b.GetProperty("bug").GetString()!, b => b);
        Assert.Equal(server.Attention.Bugs.Select(b => b.Id).Order(), bugs.Keys.Order());
        Assert.False(bugs["scale"].GetProperty("found").GetBoolean());
        Assert.All(bugs.Where(b => b.Key != "scale"), b => Assert.True(b.Value.GetProperty("found").GetBoolean(), b.Key + " " + verdict.GetRawText()));
        Assert.Equal("model/layer-properties", bugs["scale"].GetProperty("fault_class").GetString());
        var byClass = report.GetProperty("bugs_by_class").EnumerateArray().ToDictionary(c => c.GetProperty("fault_class").GetString()!, c => (Planted: c.GetProperty("planted").GetInt32(), Found: c.GetProperty("found").GetInt32()));
        Assert.Equal((2, 1), byClass["model/layer-properties"]);
        Assert.Equal((2, 2), byClass["tensors-inputs/wrong-tensor-shape"]);

        // A run of the public tests and the workbench are candidate responses too.
        var run = await server.SubmitAsync(candidate, scale.Files, kind: "runs");
        var runVerdict = await BugHuntServer.VerdictAsync(candidate, run);
        var candidateBodies = new[]
        {
            verdict.GetRawText(),
            runVerdict.GetRawText(),
            await candidate.GetStringAsync("/api/session/levels/1/notebook"),
            await candidate.GetStringAsync("/api/session"),
            await candidate.GetStringAsync("/api/session/levels/1"),
            await candidate.GetStringAsync($"/api/session/submissions/{id}"),
            await candidate.GetStringAsync("/api/session/submissions"),
        };
        foreach (var body in candidateBodies)
        {
            Assert.DoesNotContain("fault_class", body, StringComparison.Ordinal);
            Assert.DoesNotContain("mirrors", body, StringComparison.Ordinal);
            foreach (var faultClass in server.Attention.Bugs.Select(b => b.FaultClass!))
            {
                Assert.DoesNotContain(faultClass, body, StringComparison.Ordinal);
            }
        }
    }
}
