using System.Text.RegularExpressions;

namespace BugHunt.Core.Packs;

public static partial class PackIds
{
    public static bool IsValid(string id) => id.Length <= 64 && IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
