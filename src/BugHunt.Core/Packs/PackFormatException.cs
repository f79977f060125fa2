namespace BugHunt.Core.Packs;

/// <summary>A pack that does not follow the authoring format: names the file, the field and what was expected.</summary>
public sealed class PackFormatException(string file, string field, string problem)
    : Exception($"{file}: {(field.Length == 0 ? "" : field + ": ")}{problem}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
