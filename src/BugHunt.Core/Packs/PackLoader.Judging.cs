namespace BugHunt.Core.Packs;

// How a challenge is judged beyond its tests: per-bug scoring and the machine mutants declared equivalent.
public static partial class PackLoader
{
    /// <summary>
    /// equivalent_mutants: machine mutants of the reference that no test can tell apart from it,
    /// each <c>{ id: operator:File.cs:Type.Member:hash, reason: text }</c>. Validation checks that each
    /// really survives and is still generated.
    /// </summary>
    private static Dictionary<string, string> ReadEquivalentMutants(YamlFields yaml)
    {
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = yaml.MappingList("equivalent_mutants", required: false);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i].AllowOnly("id", "reason");
            var id = entry.RequiredString("id");
            if (id.Split(':').Length != 4)
            {
                throw entry.Error("id", $"'{id}' is not a mutant id (operator:File.cs:Type.Member:hash, as pack validate prints it)");
            }
            var reason = entry.RequiredString("reason");
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw entry.Error("reason", "expected why no test can tell this mutant from the reference");
            }
            if (!declared.TryAdd(id, reason))
            {
                throw entry.Error("id", $"'{id}' is declared twice");
            }
        }
        return declared;
    }
    /// <summary>
    /// Per-bug scoring: every bug has a title a candidate may read and a hidden test that targets
    /// it alone (those tests decide whether it is fixed); the tests carry the titles to the judge.
    /// </summary>
    private static List<TestSpec> CheckPerBug(YamlFields yaml, List<TestSpec> tests, List<Variant> bugs)
    {
        if (bugs.Count == 0)
        {
            throw yaml.Error("bugs", "per-bug scoring needs at least one planted bug");
        }
        for (var i = 0; i < bugs.Count; i++)
        {
            var bug = bugs[i];
            if (bug.Title is null)
            {
                throw yaml.Error($"bugs[{i}].title", $"is required with scoring: per-bug (a short phrase a candidate may read that does not give the fix away)");
            }
            if (bugs.Take(i).Any(b => b.Title == bug.Title))
            {
                throw yaml.Error($"bugs[{i}].title", $"'{bug.Title}' is the title of another bug: the verdict names fixed bugs by title");
            }
            if (!tests.Any(t => t.Visibility == Visibility.Hidden && t.Targets is [var only] && only == bug.Id))
            {
                throw yaml.Error($"bugs[{i}]", $"'{bug.Id}' has no hidden test that targets it alone (targets: [{bug.Id}]); with scoring: per-bug such tests decide whether it is fixed");
            }
        }
        var titles = bugs.ToDictionary(b => b.Id, b => b.Title!, StringComparer.Ordinal);
        return [.. tests.Select(t => t with { TargetTitles = [.. t.Targets.Select(id => titles[id])] })];
    }
}
