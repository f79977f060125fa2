using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using Xunit;

namespace BugHunt.Core.Tests;

public sealed class VerdictSpellingTests
{
    [Theory]
    [InlineData(VerdictKind.Accepted, "accepted")]
    [InlineData(VerdictKind.WrongAnswer, "wrong_answer")]
    [InlineData(VerdictKind.CompileError, "compile_error")]
    [InlineData(VerdictKind.PolicyViolation, "policy_violation")]
    [InlineData(VerdictKind.RuntimeError, "runtime_error")]
    [InlineData(VerdictKind.TimeLimit, "time_limit")]
    [InlineData(VerdictKind.MemoryLimit, "memory_limit")]
    [InlineData(VerdictKind.OutputLimit, "output_limit")]
    [InlineData(VerdictKind.SandboxError, "sandbox_error")]
    public void Verdicts_are_named_in_snake_case_and_read_in_both_spellings(VerdictKind kind, string name)
    {
        Assert.Equal(name, VerdictKinds.Name(kind));
        Assert.True(VerdictKinds.TryParse(name, out var fromNew));
        Assert.True(VerdictKinds.TryParse(kind.ToString(), out var fromOld));
        Assert.Equal((kind, kind), (fromNew, fromOld));
        Assert.Equal(name, VerdictKinds.Normalize(kind.ToString()));
        // The stored JSON speaks the same name as the API.
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(kind, BugHuntDatabase.Json));
    }

    [Fact]
    public void Text_that_is_no_verdict_is_not_read_as_one()
    {
        Assert.False(VerdictKinds.TryParse("wronganswer", out _));
        Assert.False(VerdictKinds.TryParse("", out _));
        Assert.Equal("queued", VerdictKinds.Normalize("queued"));
    }

    [Fact]
    public void A_verdict_stored_with_the_old_spelling_reads_as_the_same_verdict()
    {
        var stored = JsonSerializer.Serialize(new Verdict(VerdictKind.WrongAnswer, 0.5, "2 of 4 tests passed", [], [], "", false, new Timings(1, 2, 3, new Dictionary<string, double>())), BugHuntDatabase.Json);
        Assert.Contains("\"kind\":\"wrong_answer\"", stored, StringComparison.Ordinal);
        var old = JsonSerializer.Deserialize<Verdict>(stored.Replace("\"wrong_answer\"", "\"WrongAnswer\"", StringComparison.Ordinal), BugHuntDatabase.Json)!;
        Assert.Equal(VerdictKind.WrongAnswer, old.Kind);
    }
}
