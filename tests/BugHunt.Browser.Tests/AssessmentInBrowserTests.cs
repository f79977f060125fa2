using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Api.Tests;
using BugHunt.Testing;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BugHunt.Browser.Tests;

/// <summary>
/// A candidate takes a proctored assessment in Chromium (fake camera and screen), and a proctor reviews it in
/// the console: the pages, the API, PostgreSQL and the Docker sandboxes all real.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AssessmentInBrowserTests(BugHuntServer server, ITestOutputHelper output)
{
    private static readonly string Reference = File.ReadAllText(
        Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen", "numerics-warmup", "reference", "Numerics.cs"));

    // Level 1 is graded by every test of the shipped challenge, however many its author keeps.
    private static readonly int LevelOneTests = BugHunt.Core.Packs.PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"))
        .Challenges.Single(c => c.Id == "numerics-warmup").Tests.Count;

    /// <summary>Screenshots are kept with the test results (scripts/test.sh clears them before each run).</summary>
    public static string ScreenshotFolder => Path.Combine(
        Environment.GetEnvironmentVariable("BUGHUNT_HOME") is { Length: > 0 } home ? home : Path.Combine(TestEnvironment.RepositoryRoot(), ".bughunt"),
        "test-results", "screenshots");

    private Task<Guid> ProctoredAssessmentAsync() => server.CreateAssessmentAsync(new
    {
        name = "browser " + Guid.NewGuid().ToString("N")[..6],
        time_limit_minutes = 45,
        max_points = 250,
        pass_points = 100,
        ai_policy = "No AI assistants; TorchSharp docs are fine.",
        proctoring = new { webcam = true, screen = true },
        levels = new[]
        {
            new { pack = "lab-screen", challenge = "numerics-warmup", points = 100 },
            new { pack = "lab-screen", challenge = "training-loop", points = 150 },
        },
    });

    [BrowserFact]
    public async Task Candidate_passes_level_one_and_the_proctor_sees_the_paste_the_tab_switch_the_snapshot_and_the_submissions()
    {
        var assessment = await ProctoredAssessmentAsync();
        var invite = await server.InviteAsync(assessment, new { candidate = "Ada Browser" });
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        var pageErrors = new List<string>();
        page.PageError += (_, e) => pageErrors.Add(e);

        // The invite: rules, what is recorded, and consent before the clock starts.
        await page.GotoAsync(new Uri(server.BaseAddress, $"/invite/{invite}").ToString());
        await Expect(page.GetByTestId("ai-policy")).ToHaveTextAsync("No AI assistants; TorchSharp docs are fine.");
        await Expect(page.GetByTestId("recorded")).ToContainTextAsync("webcam snapshot");
        await Expect(page.GetByTestId("recorded")).ToContainTextAsync("screen snapshot");
        await Expect(page.GetByTestId("start")).ToContainTextAsync("45 minutes");
        await page.GetByTestId("consent-rules").CheckAsync();
        await page.GetByTestId("consent-webcam").CheckAsync();
        await Expect(page.GetByTestId("start")).ToBeDisabledAsync();
        await page.GetByTestId("consent-screen").CheckAsync();
        await Expect(page.GetByTestId("start")).ToBeEnabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-landing");
        await Shot(page, "candidate-landing");
        await Accessibility.AssertReflowsAt320Async(page, "candidate-landing");
        await page.GetByTestId("start").ClickAsync();

        // The IDE: countdown from the server's deadline, level map, statement, the camera on.
        await Expect(page.GetByTestId("ide")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^4[45]:\d\d left$"));
        await Expect(Level(page, 1)).ToHaveAttributeAsync("data-state", "unlocked");
        await Expect(Level(page, 2)).ToHaveAttributeAsync("data-state", "locked");
        await Expect(page.GetByTestId("statement")).ToContainTextAsync("Numerics warm-up");
        await Expect(page.GetByTestId("preview-webcam")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-ide-loaded");
        await Accessibility.AssertReflowsAt320Async(page, "candidate-ide-loaded");
        await ExpectEditorLetsTheKeyboardOutAsync(page);

        // A compile error is located in the editor.
        await page.Locator(".cm-content").ClickAsync();
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.TypeAsync("\nthis is not C#");
        await page.GetByTestId("run").ClickAsync();
        await Expect(page.GetByTestId("result")).ToHaveAttributeAsync("data-verdict", "compile_error", new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("compile-error").First).ToContainTextAsync("Numerics.cs:");
        await Expect(page.Locator(".cm-lintRange-error").First).ToBeAttachedAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-compile-error");

        // The fix is pasted over the whole file, saved, and still there after a reload.
        await page.Locator(".cm-content").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await PasteAsync(page.Locator(".cm-content"), Reference);
        await Expect(page.GetByTestId("save-state")).ToContainTextAsync("Saved");
        await page.ReloadAsync();
        await Expect(page.Locator(".cm-line", new() { HasText = "var max = x.max(dim, keepdim: true).values;" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("proctoring-banner")).ToBeVisibleAsync();
        await page.GetByTestId("reenable").ClickAsync();
        await Expect(page.GetByTestId("proctoring-banner")).ToHaveCountAsync(0);

        // A tab switch, done as the browser does it (Playwright would keep the page "visible").
        await browser.CloseAsync();
        await chromium.SwitchTabAwayAndBackAsync("/invite/", TimeSpan.FromSeconds(2));
        browser = await chromium.ConnectAsync(playwright);
        page = browser.Contexts[0].Pages.Single(p => p.Url.Contains("/invite/", StringComparison.Ordinal));
        page.PageError += (_, e) => pageErrors.Add(e);

        // Submit: live progress, then every test passed and level 2 unlocked.
        await page.GetByTestId("submit").ClickAsync();
        await Expect(page.GetByTestId("result")).ToHaveAttributeAsync("data-verdict", "accepted", new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("verdict")).ToContainTextAsync($"{LevelOneTests}/{LevelOneTests} tests passed");
        await Expect(page.Locator("[data-testid=test-result][data-passed=false]")).ToHaveCountAsync(0);
        await Expect(Level(page, 1)).ToHaveAttributeAsync("data-state", "passed");
        await Expect(Level(page, 2)).ToHaveAttributeAsync("data-state", "unlocked");
        await Expect(page.Locator("#toasts")).ToContainTextAsync("Level 2 unlocked");
        await Expect(page.GetByTestId("score")).ToContainTextAsync("100 / 250 pts");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-ide");
        await Shot(page, "candidate-ide");
        await Accessibility.AssertReflowsAt320Async(page, "candidate-ide");
        await page.GetByTestId("next-level").ClickAsync();
        await Expect(page.GetByTestId("statement")).ToContainTextAsync("training loop", new() { IgnoreCase = true });
        await Expect(Level(page, 2)).ToHaveAttributeAsync("aria-current", "step");

        // A hint shows its cost and is revealed only once confirmed.
        var hint = page.GetByTestId("hint").First;
        await hint.GetByTestId("reveal-hint").ClickAsync();
        await Expect(page.Locator("dialog.confirm")).ToContainTextAsync("deducted from your score");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-hint-dialog");
        await page.Locator("dialog.confirm").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(hint.GetByTestId("reveal-hint")).ToBeVisibleAsync();
        await hint.GetByTestId("reveal-hint").ClickAsync();
        await page.Locator("dialog.confirm button.primary").ClickAsync();
        await Expect(hint.GetByTestId("reveal-hint")).ToHaveCountAsync(0);
        await Expect(hint).ToContainTextAsync("Hint 1");

        // What the server recorded.
        using var admin = server.Admin();
        var sessions = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/assessments/{assessment}/sessions");
        var sessionId = sessions.Single().GetProperty("id").GetGuid();
        // The page reports events as they happen, without waiting: the last ones (the tab coming back)
        // may still be on their way when the submission's verdict is shown.
        JsonElement report;
        List<JsonElement> events;
        List<string?> kinds;
        var settle = DateTime.UtcNow.AddSeconds(5);
        do
        {
            report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{sessionId}/report");
            events = [.. report.GetProperty("integrity_events").EnumerateArray()];
            kinds = [.. events.Select(e => e.GetProperty("kind").GetString())];
            if (kinds.Contains("tab_visible") || DateTime.UtcNow > settle)
            {
                break;
            }
            await Task.Delay(250);
        }
        while (true);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "paste" && e.GetProperty("size").GetInt32() == Reference.Length);
        // Away, then back: headless Chromium, switched over DevTools, does not always fire the page's
        // visibilitychange on the way back, but the window's focus comes back with it.
        var hidden = kinds.IndexOf("tab_hidden");
        Assert.True(hidden >= 0 && hidden < Math.Max(kinds.LastIndexOf("tab_visible"), kinds.LastIndexOf("window_focus")), string.Join(", ", kinds));
        Assert.Contains("window_blur", kinds);
        foreach (var kind in new[] { "webcam", "screen" })
        {
            var frames = report.GetProperty("snapshots").EnumerateArray().Where(s => s.GetProperty("kind").GetString() == kind).ToList();
            Assert.NotEmpty(frames);
            Assert.All(frames, s => Assert.Equal("image/jpeg", s.GetProperty("content_type").GetString()));
            // The page's bound (proctoring.js): what the storage figures in docs/operations.md rest on.
            Assert.All(frames, s => Assert.InRange(s.GetProperty("bytes").GetInt32(), 1000, 512 * 1024));
            output.WriteLine($"{kind} snapshots: {string.Join(", ", frames.Select(s => $"{s.GetProperty("bytes").GetInt32() / 1024.0:0.0} KiB"))}");
        }

        // The proctor, in another browser profile: a wrong key is refused, the right one shows the session.
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 960 } });
        var console = await context.NewPageAsync();
        console.PageError += (_, e) => pageErrors.Add(e);
        await console.GotoAsync(new Uri(server.BaseAddress, "/proctor").ToString());
        await console.Locator("#admin-key").FillAsync("not-the-key");
        await console.Locator("#sign-in").ClickAsync();
        await Expect(console.GetByTestId("sign-in-message")).ToContainTextAsync("not accepted");
        await Accessibility.AssertNoSeriousViolationsAsync(console, "proctor-sign-in-refused");
        await Accessibility.AssertReflowsAt320Async(console, "proctor-sign-in-refused");
        await OpenAssessmentAsync(console, assessment);
        var row = console.Locator($"[data-testid=session-row][data-session-id='{sessionId}']");
        await Expect(row).ToContainTextAsync("Ada Browser");
        await Expect(row.GetByTestId("flag-count")).ToContainTextAsync("1");
        await Accessibility.AssertNoSeriousViolationsAsync(console, "proctor-sessions");
        await Shot(console, "proctor-sessions");
        await Accessibility.AssertReflowsAt320Async(console, "proctor-sessions");
        await row.ClickAsync();

        await Expect(console.GetByTestId("flag").First).ToContainTextAsync("large paste", new() { IgnoreCase = true });
        var timeline = console.GetByTestId("timeline");
        await Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=paste]")).ToContainTextAsync($"{Reference.Length:N0}");
        await Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=tab_hidden]")).ToHaveCountAsync(1);
        // The return, as above: headless Chromium does not always fire visibilitychange on the way back, the window's focus comes back with it.
        await Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=tab_visible], [data-testid=timeline-entry][data-kind=window_focus]").First).ToBeVisibleAsync();
        await Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=snapshot]").First).ToBeVisibleAsync();
        await Expect(timeline.Locator("[data-testid=timeline-entry][data-kind=submission]")).ToHaveCountAsync(2);
        await Expect(console.Locator("[data-testid=submission-row][data-verdict=accepted]")).ToHaveCountAsync(1);
        await Expect(console.Locator("[data-testid=submission-row][data-verdict=compile_error]")).ToHaveCountAsync(1);
        await Expect(console.GetByTestId("level-charts")).ToBeVisibleAsync();
        var snapshot = console.Locator("img[data-testid=snapshot][data-kind=webcam]").First;
        await Expect(snapshot).ToBeVisibleAsync();
        await Expect(snapshot).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await snapshot.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the webcam snapshot did not decode");
        await Expect(console.Locator("img[data-testid=snapshot][data-kind=screen]").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(console, "proctor-session");
        await Shot(console, "proctor-session", fullPage: true);
        await Accessibility.AssertReflowsAt320Async(console, "proctor-session");
        // A submission's details open from the keyboard: a button in its row, which says whether they are shown.
        var acceptedRow = console.Locator("[data-testid=submission-row][data-verdict=accepted]");
        var accepted = acceptedRow.GetByTestId("toggle-submission");
        await Expect(accepted).ToHaveAttributeAsync("aria-expanded", "false");
        await accepted.FocusAsync();
        await console.Keyboard.PressAsync("Enter");
        await Expect(accepted).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(accepted).ToBeFocusedAsync();
        await Expect(console.Locator($"[id='{await accepted.GetAttributeAsync("aria-controls")}']")).ToContainTextAsync($"id {await acceptedRow.GetAttributeAsync("data-submission-id")}");
        await Accessibility.AssertNoSeriousViolationsAsync(console, "proctor-session-submission-open");
        await timeline.ScrollIntoViewIfNeededAsync();
        await timeline.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "proctor-timeline.png") });

        Assert.Empty(pageErrors);
        await browser.CloseAsync();
    }

    [BrowserFact]
    public async Task Proctored_assessment_does_not_start_when_the_camera_is_refused()
    {
        var invite = await server.InviteAsync(await ProctoredAssessmentAsync(), new { candidate = "No Camera" });
        await using var chromium = await HeadlessChromium.StartAsync(cameraAllowed: false);
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        var url = new Uri(server.BaseAddress, $"/invite/{invite}");

        await page.GotoAsync(url.ToString());
        await page.GetByTestId("consent-rules").CheckAsync();
        await page.GetByTestId("consent-webcam").CheckAsync();
        await page.GetByTestId("consent-screen").CheckAsync();
        await page.GetByTestId("start").ClickAsync();
        await Expect(page.Locator(".error-box")).ToContainTextAsync("needs your camera");
        await Expect(page.GetByTestId("landing")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("ide")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-camera-refused");

        var token = await page.EvaluateAsync<string>("invite => localStorage.getItem('bughunt.session.' + invite)", invite);
        using var candidate = server.Client(token);
        var session = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal("not_started", session.GetProperty("status").GetString());
        await browser.CloseAsync();
    }

    [BrowserFact]
    public async Task Page_says_the_time_is_over_when_the_server_refuses_work_after_the_deadline()
    {
        var invite = await server.InviteAsync(await server.CreateAssessmentAsync(new
        {
            name = "deadline " + Guid.NewGuid().ToString("N")[..6],
            time_limit_minutes = 20,
            levels = new[] { new { pack = "lab-screen", challenge = "numerics-warmup" } },
        }), new { candidate = "Late Larry" });
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        await page.GotoAsync(new Uri(server.BaseAddress, $"/invite/{invite}").ToString());
        await page.GetByTestId("consent-rules").CheckAsync();
        await page.GetByTestId("start").ClickAsync();
        await Expect(page.GetByTestId("ide")).ToBeVisibleAsync();

        server.Clock.Advance(TimeSpan.FromMinutes(21));
        await page.GetByTestId("run").ClickAsync();
        await Expect(page.GetByTestId("finished")).ToContainTextAsync("Time is over");
        await Expect(page.GetByTestId("ide")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "candidate-time-over");
        await Accessibility.AssertReflowsAt320Async(page, "candidate-time-over");
        await browser.CloseAsync();
    }

    [BrowserFact]
    public async Task Proctor_sees_two_alike_fixes_flagged_and_compares_them_side_by_side()
    {
        var assessment = await server.CreateAssessmentAsync();
        var ids = await server.SaveAlikeFixesAsync(assessment);
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        await page.GotoAsync(new Uri(server.BaseAddress, "/proctor").ToString());
        await OpenAssessmentAsync(page, assessment);

        var flagCounts = ids.Select(id => page.Locator($"[data-testid=session-row][data-session-id='{id}'] [data-testid=flag-count]")).ToList();
        await Expect(flagCounts[0]).ToHaveTextAsync("1");
        await Expect(flagCounts[1]).ToHaveTextAsync("1");
        await Expect(flagCounts[2]).ToHaveTextAsync("0");
        var flagged = page.Locator("[data-testid=similar-pair][data-flagged=true]");
        await Expect(flagged).ToHaveCountAsync(1);
        await Expect(flagged).ToContainTextAsync("Alice");
        await Expect(flagged).ToContainTextAsync("Bob");
        await Expect(page.Locator("[data-testid=similar-pair][data-flagged=false]")).ToHaveCountAsync(2);

        await flagged.GetByTestId("compare").ClickAsync();
        var side = page.GetByTestId("side-by-side");
        await Expect(side).ToContainTextAsync("Checksum");
        await Expect(side).ToContainTextAsync("Digest");
        await side.ScrollIntoViewIfNeededAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "proctor-side-by-side");
        await Shot(page, "proctor-side-by-side");
        await browser.CloseAsync();
    }

    /// <summary>Signs in to the proctor console with the admin key and opens an assessment.</summary>
    private static async Task OpenAssessmentAsync(IPage console, Guid assessment)
    {
        await console.Locator("#admin-key").FillAsync(BugHuntServer.AdminKey);
        await console.Locator("#sign-in").ClickAsync();
        await console.Locator($"[data-testid=assessment][data-assessment-id='{assessment}']").ClickAsync();
    }

    /// <summary>
    /// The editor keeps Tab for indenting, so it says how to leave it (Escape, then Tab), and that
    /// works: focus moves to the next control after the editor, and a plain Tab still indents.
    /// </summary>
    private static async Task ExpectEditorLetsTheKeyboardOutAsync(IPage page)
    {
        var editor = page.Locator(".editor-host .cm-content");
        var hint = await editor.GetAttributeAsync("aria-describedby");
        Assert.False(string.IsNullOrEmpty(hint), "the editor has no aria-describedby telling how to leave it");
        await Expect(page.Locator($"[id='{hint}']")).ToContainTextAsync("Esc");
        await editor.FocusAsync();
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await editor.EvaluateAsync<bool>("el => el.contains(document.activeElement)"), "Tab alone left the editor");
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Tab");
        Assert.False(await editor.EvaluateAsync<bool>("el => el.contains(document.activeElement)"), "Escape then Tab did not leave the editor");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement !== document.body"), "focus was lost instead of moving on");
    }

    private static ILocator Level(IPage page, int position) => page.Locator($"[data-testid=level][data-position='{position}']");

    /// <summary>Pastes <paramref name="text"/> into an editor as the browser does: a paste event with the text on its clipboard.</summary>
    internal static Task PasteAsync(ILocator editor, string text) => editor.EvaluateAsync("""
        (el, text) => {
          const data = new DataTransfer();
          data.setData("text/plain", text);
          el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }
        """, text);

    internal static async Task Shot(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = fullPage });
    }
}
