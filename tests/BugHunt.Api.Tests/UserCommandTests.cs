using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>`bughunt users add|list|revoke` as an operator runs them, against the test database and the tests' API.</summary>
[Collection(ServerCollection.Name)]
public sealed class UserCommandTests(BugHuntServer server)
{
    private static async Task<(int Code, string Out, string Err)> BughuntAsync(params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var cli = Path.Combine(TestEnvironment.RepositoryRoot(), "src", "BugHunt.Cli", "bin", configuration, "net10.0", "bughunt.dll");
        Assert.True(File.Exists(cli), $"the CLI is not built at {cli} (build BugHunt.sln)");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[BugHuntDatabase.ConnectionStringVariable] = TestEnvironment.DatabaseUrl;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output, await error);
    }

    private static string NewName() => "cli-" + Guid.NewGuid().ToString("N")[..10];

    [PostgresFact]
    public async Task Users_add_prints_a_working_key_once_and_list_never_shows_it()
    {
        var name = NewName();
        var (code, output, error) = await BughuntAsync("users", "add", name, "--role", "proctor");
        Assert.True(code == 0, error);
        var key = output.Trim();
        Assert.Matches("^bh_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("will not be shown again", error, StringComparison.Ordinal);

        using (var proctor = server.Staff(key))
        {
            var me = await proctor.GetFromJsonAsync<JsonElement>("/api/admin/me");
            Assert.Equal((name, "proctor"), (me.GetProperty("name").GetString(), me.GetProperty("role").GetString()));
        }

        var (listed, list, _) = await BughuntAsync("users", "list");
        Assert.Equal(0, listed);
        var row = Assert.Single(list.Split('\n'), l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Contains("proctor", row, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.DoesNotContain(key["bh_".Length..], list, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Users_add_refuses_an_unknown_role_and_a_taken_name_and_changes_nothing()
    {
        var name = NewName();
        var (badRole, _, roleError) = await BughuntAsync("users", "add", name, "--role", "superuser");
        Assert.Equal(2, badRole);
        Assert.Contains("--role takes admin, author, recruiter or proctor, got 'superuser'", roleError, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(name));

        var (added, output, _) = await BughuntAsync("users", "add", name, "--role", "recruiter");
        Assert.Equal(0, added);
        var (again, againOutput, againError) = await BughuntAsync("users", "add", name.ToUpperInvariant(), "--role", "admin");
        Assert.Equal(1, again);
        Assert.Equal("", againOutput);
        Assert.Contains($"there is already a user {name} (recruiter)", againError, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(name));
        using var recruiter = server.Staff(output.Trim());
        Assert.Equal("recruiter", (await recruiter.GetFromJsonAsync<JsonElement>("/api/admin/me")).GetProperty("role").GetString());

        var (badName, _, nameError) = await BughuntAsync("users", "add", "two words", "--role", "author");
        Assert.Equal(2, badName);
        Assert.Contains("is not a user name", nameError, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Users_revoke_ends_the_key_and_is_audited_and_an_unknown_user_is_an_error()
    {
        var name = NewName();
        var (_, output, _) = await BughuntAsync("users", "add", name, "--role", "author");
        using var author = server.Staff(output.Trim());
        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync("/api/admin/me")).StatusCode);

        var (revoked, revokeOutput, revokeError) = await BughuntAsync("users", "revoke", name);
        Assert.True(revoked == 0, revokeError);
        Assert.Contains($"revoked {name}'s key", revokeOutput, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await author.GetAsync("/api/admin/me")).StatusCode);

        var (twice, _, twiceError) = await BughuntAsync("users", "revoke", name);
        Assert.Equal(1, twice);
        Assert.Contains("already revoked", twiceError, StringComparison.Ordinal);
        var unknown = NewName();
        var (missing, _, missingError) = await BughuntAsync("users", "revoke", unknown);
        Assert.Equal(1, missing);
        Assert.Contains($"there is no staff user {unknown}", missingError, StringComparison.Ordinal);

        using var admin = server.Admin();
        var entries = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/audit?target=user:{name}");
        Assert.Equal(["user.revoke", "user.add"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal($"cli ({Environment.UserName})", e.GetProperty("actor").GetString()));
    }

    private async Task<long> CountAsync(string name)
    {
        await using var connection = await server.Db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>("SELECT count(*) FROM staff_users WHERE lower(name) = lower(@name)", new { name });
    }
}
