using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BugHunt.Core.Database;
using BugHunt.Grader.Sandboxes;
using BugHunt.Testing;
using Docker.DotNet;
using Docker.DotNet.Models;
using Npgsql;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>`bughunt serve` as a supervisor runs it: started as a process, stopped with SIGTERM.</summary>
public sealed class ServeShutdownTests
{
    [EndToEndFact]
    public async Task Serve_stopped_with_SIGTERM_stops_its_API_and_removes_its_warm_container()
    {
        var database = "bughunt_serve_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl))
        {
            await admin.CreateCommand($"CREATE DATABASE {database}").ExecuteNonQueryAsync();
        }
        var graderId = "serve-term-" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePort();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var cli = Path.Combine(TestEnvironment.RepositoryRoot(), "src", "BugHunt.Cli", "bin", configuration, "net10.0", "bughunt.dll");
        Assert.True(File.Exists(cli), $"the CLI is not built at {cli} (build BugHunt.sln)");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "serve", "--urls", $"http://127.0.0.1:{port}", "--packs", Path.Combine(TestEnvironment.RepositoryRoot(), "tests", "fixtures") })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[BugHuntDatabase.ConnectionStringVariable] = new NpgsqlConnectionStringBuilder(TestEnvironment.DatabaseUrl) { Database = database }.ConnectionString;
        start.Environment["BUGHUNT_GRADER_ID"] = graderId;
        start.Environment["BUGHUNT_WARM_POOL"] = "1";
        using var docker = new DockerClientConfiguration(SandboxOptions.FromEnvironment().DockerEndpoint).CreateClient();
        using var serve = Process.Start(start)!;
        try
        {
            var serving = new TaskCompletionSource();
            serve.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("BugHunt is serving", StringComparison.Ordinal) == true)
                {
                    serving.TrySetResult();
                }
            };
            serve.ErrorDataReceived += (_, _) => { };
            serve.BeginOutputReadLine();
            serve.BeginErrorReadLine();
            await serving.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (await ContainersAsync(docker, graderId) == 0 || !await AnswersAsync(port))
            {
                Assert.True(DateTime.UtcNow < deadline, "serve never had its API up and a warm container");
                await Task.Delay(250);
            }

            using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.False(await AnswersAsync(port), "the API process still answers after serve stopped");
            Assert.Equal(0, await ContainersAsync(docker, graderId));
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }
            // After a failed run: no containers left behind for the next test.
            using (var sandbox = new DockerSandbox(SandboxOptions.FromEnvironment(), TimeProvider.System))
            {
                await sandbox.SweepAsync(graderId, CancellationToken.None);
            }
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl);
            await admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)").ExecuteNonQueryAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<int> ContainersAsync(DockerClient docker, string graderId) =>
        (await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DockerSandbox.GraderLabel}={graderId}"] = true } },
        })).Count;
}
