using System.Diagnostics;

namespace BugHunt.Cli;

/// <summary>
/// An API process on a free loopback port, for the measuring commands (bench, load): started
/// quietly with a throwaway admin key, ready when /healthz answers, killed on dispose.
/// </summary>
internal sealed class LocalApi : IDisposable
{
    private readonly Process _process;

    private LocalApi(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public HttpClient Client() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<LocalApi> StartAsync(string apiPath, CancellationToken ct)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var api = new LocalApi(ServerCommands.StartApi(apiPath, address.ToString().TrimEnd('/'), key, quiet: true), address);
        using var http = api.Client();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetAsync("/healthz", ct)).IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, ct);
        }
        api.Dispose();
        throw new InvalidOperationException("the API did not start");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile; 0 for no values.</summary>
    public static double Of(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
