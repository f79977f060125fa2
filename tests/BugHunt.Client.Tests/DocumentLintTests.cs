using System.Diagnostics;
using System.Text.Json;
using BugHunt.Api.Tests;
using BugHunt.Testing;
using Xunit;
using Xunit.Abstractions;

namespace BugHunt.Client.Tests;

/// <summary>
/// The live document through two independent OpenAPI linters with all their recommended rules
/// (tools/openapi-lint: Redocly and Spectral, installed by scripts/test.sh): no errors. Their
/// warnings are printed, not counted against it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DocumentLintTests(BugHuntServer server, ITestOutputHelper output)
{
    private static readonly string Tools = Path.Combine(TestEnvironment.RepositoryRoot(), "tools", "openapi-lint");

    private static string Bin(string name) => Path.Combine(Tools, "node_modules", ".bin", name);

    [PostgresFact]
    public async Task Redocly_finds_no_errors_in_the_live_document()
    {
        var document = await DocumentAsync();
        var (stdout, _) = await RunAsync(Bin("redocly"), "lint", document, "--format=json", "--config", Path.Combine(Tools, "redocly.yaml"));
        using var report = JsonDocument.Parse(stdout);
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}").ToList();
        problems.ForEach(output.WriteLine);
        var totals = report.RootElement.GetProperty("totals");
        output.WriteLine($"redocly: {totals.GetProperty("errors").GetInt32()} errors, {totals.GetProperty("warnings").GetInt32()} warnings");
        Assert.True(totals.GetProperty("errors").GetInt32() == 0, string.Join("\n", problems.Where(p => p.StartsWith("error", StringComparison.Ordinal))));
    }

    [PostgresFact]
    public async Task Spectral_finds_no_errors_in_the_live_document()
    {
        var document = await DocumentAsync();
        var results = Path.ChangeExtension(document, ".spectral.json");
        await RunAsync(Bin("spectral"), "lint", document, "--format", "json", "--output", results, "--ruleset", Path.Combine(Tools, ".spectral.yaml"), "--fail-severity", "error");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(results));
        // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
        var problems = report.RootElement.EnumerateArray()
            .Select(p => (Severity: p.GetProperty("severity").GetInt32(), Text: $"{p.GetProperty("code").GetString()} at {string.Join('.', p.GetProperty("path").EnumerateArray().Select(s => s.ToString()))}: {p.GetProperty("message").GetString()}"))
            .ToList();
        problems.ForEach(p => output.WriteLine($"{p.Severity} {p.Text}"));
        output.WriteLine($"spectral: {problems.Count(p => p.Severity == 0)} errors, {problems.Count(p => p.Severity == 1)} warnings");
        Assert.True(problems.All(p => p.Severity != 0), string.Join("\n", problems.Where(p => p.Severity == 0).Select(p => p.Text)));
    }

    private async Task<string> DocumentAsync()
    {
        Assert.True(File.Exists(Bin("redocly")) && File.Exists(Bin("spectral")),
            $"the linters are not installed in {Tools}: scripts/test.sh installs them (or run npm ci there)");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var path = Path.Combine(Directory.CreateTempSubdirectory("bughunt-openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(path, await http.GetStringAsync("/openapi/v1.json"));
        return path;
    }

    /// <summary>Runs a linter; a non-zero exit with nothing written is a failure of the tool itself.</summary>
    private static async Task<(string Stdout, string Stderr)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await stdout, await stderr);
    }
}
