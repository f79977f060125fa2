using System.Text.RegularExpressions;
using BugHunt.Api.Tests;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Client.Tests;

/// <summary>
/// The README's own request bodies are what the document says a client may send: a body the
/// document (and so a generated client's types) refuses would mislead every integrator who starts
/// from the README.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class ReadmeBodyTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Every_json_body_in_the_readme_matches_its_operations_request_schema()
    {
        var document = await ContractDocument.FetchAsync(server.BaseAddress.GetLeftPart(UriPartial.Authority));
        var bodies = Bodies(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot(), "README.md"))).ToList();
        Assert.True(bodies.Count >= 5, $"found only {bodies.Count} curl bodies in the README");
        var problems = bodies.SelectMany(b => document.CheckRequest(HttpMethod.Post, b.Path, b.Json).Select(p => $"README line {b.Line}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Each `curl ... $B/api/... -d '{...}'` of the README: its path (placeholders as segments) and its JSON.</summary>
    private static IEnumerable<(int Line, string Path, string Json)> Bodies(string readme)
    {
        var lines = readme.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("curl ", StringComparison.Ordinal))
            {
                continue;
            }
            // The command with its continuation lines; the shell's '"'"' is a quote inside the body.
            var command = lines[i];
            var end = i;
            while ((command.TrimEnd().EndsWith('\\') || Unclosed(command)) && end + 1 < lines.Length)
            {
                command = command.TrimEnd().TrimEnd('\\') + "\n" + lines[++end];
            }
            command = command.Replace("'\"'\"'", "\u0001", StringComparison.Ordinal);
            var body = BodyArgument().Match(command);
            var path = ApiPath().Match(command);
            if (body.Success && path.Success)
            {
                yield return (i + 1, Placeholder().Replace(path.Groups["path"].Value, "x"), body.Groups["json"].Value.Replace("\u0001", "'", StringComparison.Ordinal));
            }
            i = end;
        }
    }

    private static bool Unclosed(string command) => command.Contains("-d '", StringComparison.Ordinal) && command.Replace("'\"'\"'", "", StringComparison.Ordinal).Count(c => c == '\'') % 2 == 1;

    [GeneratedRegex(@"-d '(?<json>\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex BodyArgument();

    [GeneratedRegex(@"\$B(?<path>/api/[^\s'""]+)")]
    private static partial Regex ApiPath();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Placeholder();
}
