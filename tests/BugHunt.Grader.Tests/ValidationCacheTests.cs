using BugHunt.Core.Packs;
using BugHunt.Grader.Packs;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Grader.Tests;

/// <summary>The validation cache on its own: keyed by content, passing reports only, merged on save.</summary>
public sealed class ValidationCacheTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bughunt-cache-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static Challenge Echo => PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "fixtures", "sandbox-pack")).Challenges.Single();

    private static ChallengeReport Report(Challenge c, params string[] problems) =>
        new(c.Id, c.Level, [1.0], true, [], null, [], [], c.Limits.TimeSeconds, problems);

    [Fact]
    public void Passing_report_is_found_again_for_the_same_content_only()
    {
        var echo = Echo;
        var cache = ValidationCache.Open(_scratch);
        cache.Store(echo, mutants: true, Report(echo));
        cache.Save([echo.Id]);

        var reopened = ValidationCache.Open(_scratch);
        Assert.True(reopened.Find(echo, mutants: true, out _)?.FromCache);
        Assert.Null(reopened.Find(echo, mutants: false, out _));
        Assert.Null(reopened.Find(echo with { Title = echo.Title + " (edited)" }, mutants: true, out _));
    }

    [Fact]
    public void Topics_fault_classes_and_the_starting_notebook_do_not_invalidate_a_report_and_a_new_notebook_asks_for_its_own_check()
    {
        var echo = Echo;
        var cache = ValidationCache.Open(_scratch);
        cache.Store(echo, mutants: true, Report(echo));

        Assert.NotNull(cache.Find(echo with { Topics = ["doubling"] }, mutants: true, out var topicsOnly));
        Assert.True(topicsOnly);
        var reclassified = echo with { Bugs = [.. echo.Bugs.Select(b => b with { FaultClass = "api", Mirrors = "a public report" })] };
        Assert.NotNull(cache.Find(reclassified, mutants: true, out var classesOnly));
        Assert.True(classesOnly);
        Assert.Null(cache.Find(echo with { Bugs = [.. echo.Bugs.Select(b => b with { Summary = b.Summary + " (edited)" })] }, mutants: true, out _));
        var withNotebook = echo with { Notebook = ["Show(Solution.Run(torch.ones(2)))"] };
        Assert.NotNull(cache.Find(withNotebook, mutants: true, out var notebookCurrent));
        Assert.False(notebookCurrent);

        cache.Store(withNotebook, mutants: true, Report(withNotebook));
        Assert.NotNull(cache.Find(withNotebook, mutants: true, out notebookCurrent));
        Assert.True(notebookCurrent);
        Assert.NotNull(cache.Find(withNotebook with { Notebook = ["1 + 1"] }, mutants: true, out notebookCurrent));
        Assert.False(notebookCurrent);
    }

    [Fact]
    public void Failing_report_is_never_cached()
    {
        var echo = Echo;
        var cache = ValidationCache.Open(_scratch);
        cache.Store(echo, mutants: true, Report(echo, "mutant x survived"));
        cache.Save([echo.Id]);

        Assert.Null(ValidationCache.Open(_scratch).Find(echo, mutants: true, out _));
    }

    [Fact]
    public void Two_validations_of_one_pack_keep_each_others_entries()
    {
        var echo = Echo;
        var other = echo with { Id = "other" };
        var first = ValidationCache.Open(_scratch);
        var second = ValidationCache.Open(_scratch);
        first.Store(echo, mutants: true, Report(echo));
        second.Store(other, mutants: true, Report(other));
        first.Save([echo.Id, other.Id]);
        second.Save([echo.Id, other.Id]);

        var reopened = ValidationCache.Open(_scratch);
        Assert.NotNull(reopened.Find(echo, mutants: true, out _));
        Assert.NotNull(reopened.Find(other, mutants: true, out _));
    }
}
