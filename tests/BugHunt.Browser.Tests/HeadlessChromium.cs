using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace BugHunt.Browser.Tests;

/// <summary>
/// Debian's Chromium, headless, with a fake camera and screen that are shared without a prompt. The tests
/// drive it with Playwright over the DevTools protocol. Playwright keeps every page it is attached
/// to "focused and visible", so a real tab switch (the page hidden, the window blurred) is done
/// while Playwright is disconnected, with two raw DevTools commands.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;

    private HeadlessChromium(Process process, string profile, Uri endpoint)
    {
        _process = process;
        _profile = profile;
        Endpoint = endpoint;
    }

    /// <summary>The DevTools HTTP endpoint (loopback).</summary>
    public Uri Endpoint { get; }

    /// <param name="cameraAllowed">Whether the page's request for the (fake) camera is granted; otherwise it is refused, as by a candidate.</param>
    public static async Task<HeadlessChromium> StartAsync(bool cameraAllowed = true)
    {
        var profile = Directory.CreateTempSubdirectory("bughunt-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--use-fake-device-for-media-stream", cameraAllowed ? "--use-fake-ui-for-media-stream" : "--deny-permission-prompts",
            "--no-first-run", "--no-default-browser-check", "--window-size=1440,960",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Chromium writes the port it chose into the profile once DevTools listens.
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Executable} did not open DevTools (exited: {process.HasExited})");
            }
            await Task.Delay(100);
        }
        var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0], System.Globalization.CultureInfo.InvariantCulture);
        return new HeadlessChromium(process, profile, new Uri($"http://127.0.0.1:{port}"));
    }

    public Task<IBrowser> ConnectAsync(IPlaywright playwright) => playwright.Chromium.ConnectOverCDPAsync(Endpoint.ToString());

    /// <summary>
    /// Opens a new tab in the same window and comes back to the page whose URL contains
    /// <paramref name="urlPart"/>, as a candidate looking something up would. Playwright must be
    /// disconnected. The page sees window blur, visibility hidden, then visible and focus.
    /// </summary>
    public async Task SwitchTabAwayAndBackAsync(string urlPart, TimeSpan away)
    {
        using var http = new HttpClient();
        var version = JsonNode.Parse(await http.GetStringAsync(new Uri(Endpoint, "/json/version")))!;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(version["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
        var next = 0;
        async Task<JsonNode> Send(string method, object parameters)
        {
            var id = ++next;
            var request = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
            await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
            while (true)
            {
                var message = JsonNode.Parse(await ReceiveAsync(socket))!;
                if (message["id"]?.GetValue<int>() == id)
                {
                    return message["error"] is { } error
                        ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}")
                        : message["result"]!;
                }
            }
        }
        var targets = (await Send("Target.getTargets", new { }))["targetInfos"]!.AsArray();
        var page = targets.FirstOrDefault(t => t!["type"]!.GetValue<string>() == "page" && t["url"]!.GetValue<string>().Contains(urlPart, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no tab shows {urlPart}");
        var other = (await Send("Target.createTarget", new { url = "about:blank", newWindow = false, background = false }))["targetId"]!.GetValue<string>();
        await Task.Delay(away);
        await Send("Target.activateTarget", new { targetId = page["targetId"]!.GetValue<string>() });
        await Send("Target.closeTarget", new { targetId = other });
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash-reporter file still open; the temp folder is cleaned by the system.
        }
    }
}
