using BugHunt.Core.Packs;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Packs;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Grader.Tests;

/// <summary>Pack validation through real sandboxes, on copies of the causal-attention challenge.</summary>
public sealed class PackValidatorTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bughunt-validate-").FullName;
    private readonly DockerSandbox _sandbox = new(SandboxOptions.FromEnvironment(), TimeProvider.System);

    public void Dispose()
    {
        _sandbox.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [DockerFact]
    public async Task Sound_challenge_validates_with_full_mutation_score()
    {
        var report = await ValidateAsync(CopyAttention());

        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.Equal(1.0, report.MutationScore);
        Assert.True(report.ReferenceDeterministic);
        // K runs with the first hidden seed, then one with each other seed of the pool.
        Assert.Equal(PackValidator.ReferenceRuns + BugHunt.Core.Grading.GradingPlan.HiddenSeedPoolSize - 1, report.ReferenceSeconds.Count);
        Assert.All(report.WrongFixes, w => Assert.True(w.Caught));
        Assert.True(report.Starter!.Caught);
    }

    [DockerFact]
    public async Task Planted_bug_that_no_hidden_test_catches_fails_validation()
    {
        var dir = CopyAttention();
        // A "bug" that only adds a comment behaves as the reference: nothing can catch it.
        var reference = File.ReadAllText(Path.Combine(dir, "reference", "Attention.cs"));
        File.WriteAllText(Path.Combine(dir, "bugs", "scale.diff"),
            UnifiedDiff.Write("Attention.cs", reference, "// not a bug at all\n" + reference));

        var report = await ValidateAsync(dir);

        Assert.False(report.Passed);
        Assert.Equal(0.75, report.MutationScore);
        Assert.Contains(report.Problems, p => p.Contains("planted bug 'scale' is not caught", StringComparison.Ordinal));
    }

    [DockerFact]
    public async Task Time_limit_below_twice_the_reference_time_fails_validation()
    {
        var dir = CopyAttention();
        var yaml = Path.Combine(dir, "challenge.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("time_seconds: 30", "time_seconds: 1", StringComparison.Ordinal));

        var report = await ValidateAsync(dir);

        // The reference may not even finish within 1 s; either way the limit is refused as too tight.
        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.Contains("time limit 1 s is less than 2x the reference", StringComparison.Ordinal)
            || p.StartsWith("reference solution failed: TimedOut", StringComparison.Ordinal));
    }

    [DockerFact]
    public async Task Reference_with_unseeded_randomness_fails_validation_naming_it()
    {
        var dir = CopyAttention();
        var reference = Path.Combine(dir, "reference", "Attention.cs");
        // An unseeded System.Random would change the output from run to run: it is refused before anything runs.
        // (On a line no planted bug's diff touches, so the bugs still apply.)
        File.WriteAllText(reference, File.ReadAllText(reference).Replace(
            "long B = x.shape[0], T = x.shape[1];", "long B = x.shape[0], T = x.shape[1]; var jitter = new Random().NextDouble() * 1e-12;", StringComparison.Ordinal));

        var report = await ValidateAsync(dir);

        Assert.False(report.Passed);
        Assert.False(report.ReferenceDeterministic);
        Assert.Contains(report.Problems, p => p.Contains("unseeded randomness", StringComparison.Ordinal));
    }

    private async Task<ChallengeReport> ValidateAsync(string challengeDir)
    {
        var pack = PackLoader.Load(Path.GetDirectoryName(challengeDir)!);
        var validator = new PackValidator(_sandbox);
        return await validator.ValidateAsync(pack.Challenges.Single(), _ => { }, CancellationToken.None);
    }

    private string CopyAttention() => Path.Combine(TestPacks.AttentionOnly(_scratch, "lab-screen"), "causal-attention");
}
