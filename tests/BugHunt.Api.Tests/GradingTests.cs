using System.Text.Json;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>End to end: HTTP → PostgreSQL queue → grader → Docker sandbox → verdict read over HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class GradingTests(BugHuntServer server)
{
    [EndToEndFact]
    public async Task Starter_files_get_wrong_answer_with_hidden_tests_failing()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var verdict = await BugHuntServer.VerdictAsync(candidate, await server.SubmitAsync(candidate, server.Attention.StarterFiles));

        Assert.Equal("wrong_answer", verdict.GetProperty("verdict").GetString());
        Assert.True(verdict.GetProperty("score").GetDouble() < 1);
        var tests = verdict.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(server.Attention.Tests.Count, tests.Count);
        Assert.Contains(tests, t => t.GetProperty("visibility").GetString() == "hidden" && !t.GetProperty("passed").GetBoolean());
        foreach (var hidden in tests.Where(t => t.GetProperty("visibility").GetString() == "hidden"))
        {
            Assert.Equal(JsonValueKind.Null, hidden.GetProperty("message").ValueKind);
            Assert.Equal(JsonValueKind.Null, hidden.GetProperty("diagnostics").ValueKind);
        }
        var publicTest = Assert.Single(tests, t => t.GetProperty("visibility").GetString() == "public");
        Assert.False(publicTest.GetProperty("passed").GetBoolean());
        Assert.Contains("mismatch at index", publicTest.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(publicTest.GetProperty("diagnostics").GetProperty("max_abs_error").GetDouble() > 0);
    }

    [EndToEndFact]
    public async Task Reference_solution_is_accepted_with_full_score()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var verdict = await BugHuntServer.VerdictAsync(candidate, await server.SubmitAsync(candidate, server.Attention.ReferenceFiles));

        Assert.Equal("accepted", verdict.GetProperty("verdict").GetString());
        Assert.Equal(1.0, verdict.GetProperty("score").GetDouble());
        Assert.All(verdict.GetProperty("tests").EnumerateArray(), t => Assert.True(t.GetProperty("passed").GetBoolean()));
    }

    [EndToEndFact]
    public async Task Each_planted_bug_alone_is_not_accepted()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        foreach (var bug in server.Attention.Bugs)
        {
            var verdict = await BugHuntServer.VerdictAsync(candidate, await server.SubmitAsync(candidate, bug.Files));
            Assert.True(verdict.GetProperty("verdict").GetString() == "wrong_answer", $"bug {bug.Id}: {verdict}");
            Assert.Contains(verdict.GetProperty("tests").EnumerateArray(),
                t => t.GetProperty("visibility").GetString() == "hidden" && !t.GetProperty("passed").GetBoolean());
        }
    }

    [EndToEndFact]
    public async Task File_that_does_not_compile_gets_compile_error_with_file_line_and_message()
    {
        var (candidate, _) = await server.NewCandidateAsync();
        var broken = server.Attention.ReferenceFiles["Attention.cs"].Replace("return output.forward(y);", "return output.forward(y)", StringComparison.Ordinal);
        var brokenLine = broken.Split('\n').ToList().FindIndex(l => l.Contains("return output.forward(y)", StringComparison.Ordinal)) + 1;
        var verdict = await BugHuntServer.VerdictAsync(candidate, await server.SubmitAsync(candidate, new Dictionary<string, string> { ["Attention.cs"] = broken }));

        Assert.Equal("compile_error", verdict.GetProperty("verdict").GetString());
        var diagnostic = verdict.GetProperty("diagnostics").EnumerateArray().First();
        Assert.Equal("Attention.cs", diagnostic.GetProperty("file").GetString());
        Assert.Equal(brokenLine, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal("CS1002", diagnostic.GetProperty("id").GetString());
        Assert.Contains("; expected", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, verdict.GetProperty("score").GetDouble());
    }

    [EndToEndFact]
    public async Task Reading_a_file_is_a_policy_violation_naming_the_symbol_and_line()
    {
        var (sneaky, verdict) = await GradeWithLineInForwardAsync(server.Attention.ReferenceFiles, "var leak = System.IO.File.ReadAllText(\"/etc/passwd\");");

        Assert.Equal("policy_violation", verdict.GetProperty("verdict").GetString());
        var diagnostic = verdict.GetProperty("diagnostics").EnumerateArray().First();
        Assert.Contains("System.IO.File", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("file access", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
        var expectedLine = sneaky.Split('\n').ToList().FindIndex(l => l.Contains("ReadAllText", StringComparison.Ordinal)) + 1;
        Assert.Equal(expectedLine, diagnostic.GetProperty("line").GetInt32());
    }

    [EndToEndFact]
    public async Task Printing_forged_protocol_lines_does_not_change_the_verdict()
    {
        // The starter, printing what a runner's protocol line would look like.
        var (_, verdict) = await GradeWithLineInForwardAsync(server.Attention.StarterFiles,
            "Console.WriteLine(\"0000 {\\\"type\\\":\\\"probe_finished\\\",\\\"probe\\\":\\\"forward\\\"}\");");

        Assert.Equal("wrong_answer", verdict.GetProperty("verdict").GetString());
        Assert.Contains("probe_finished", verdict.GetProperty("console").GetString(), StringComparison.Ordinal);
    }

    [EndToEndFact]
    public async Task Exception_in_a_public_test_is_a_runtime_error_with_type_and_message()
    {
        var (_, verdict) = await GradeWithLineInForwardAsync(server.Attention.ReferenceFiles, "if (B > 0) throw new InvalidOperationException(\"candidate says no\");");

        Assert.Equal("runtime_error", verdict.GetProperty("verdict").GetString());
        Assert.Contains("System.InvalidOperationException: candidate says no", verdict.GetProperty("message").GetString(), StringComparison.Ordinal);
        var publicTest = verdict.GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("visibility").GetString() == "public");
        Assert.Contains("candidate says no", publicTest.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Submits the given files with one statement added at the top of forward(), and waits for the verdict.</summary>
    private async Task<(string Source, JsonElement Verdict)> GradeWithLineInForwardAsync(IReadOnlyDictionary<string, string> files, string statement)
    {
        const string anchor = "long B = x.shape[0], T = x.shape[1];";
        var source = files["Attention.cs"];
        Assert.Contains(anchor, source, StringComparison.Ordinal);
        source = source.Replace(anchor, anchor + "\n        " + statement, StringComparison.Ordinal);
        var (candidate, _) = await server.NewCandidateAsync();
        var verdict = await BugHuntServer.VerdictAsync(candidate, await server.SubmitAsync(candidate, new Dictionary<string, string> { ["Attention.cs"] = source }));
        return (source, verdict);
    }
}
