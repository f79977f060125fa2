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

        Assert.True(verdict.GetProperty("verdict").GetString() == "RuntimeError", verdict.GetRawText());
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
}
