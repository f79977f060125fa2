using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BugHunt.Api.Tests;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Dapper;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace BugHunt.Browser.Tests;

/// <summary>
/// A recruiter in the console: builds an assessment from the catalogue, invites candidates from a
/// CSV list and gives a running session extra time. The pages, the API and PostgreSQL are real;
/// nothing is graded, so no sandbox is needed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class AssessmentBuilderInBrowserTests(BugHuntServer server)
{
    private static readonly ChallengePack LabScreen = PackLoader.Load(TestPacks.LabScreen);

    [GeneratedRegex("#/assessments/([0-9a-f-]{36})$")]
    private static partial Regex AssessmentUrl();

    [BrowserFact(NeedsSandbox = false)]
    public async Task Recruiter_builds_two_reordered_levels_invites_three_candidates_from_pasted_csv_and_gives_a_running_session_extra_time()
    {
        var name = "builder " + Guid.NewGuid().ToString("N")[..6];
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 960 }, AcceptDownloads = true });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = server.BaseAddress.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, e) => pageErrors.Add(e);
        using var admin = server.Admin();

        await page.GotoAsync(new Uri(server.BaseAddress, "/proctor").ToString());
        await page.Locator("#admin-key").FillAsync(BugHuntServer.AdminKey);
        await page.Locator("#sign-in").ClickAsync();
        await page.GetByTestId("new-assessment").ClickAsync();

        // The catalogue shows each challenge with its level, expected minutes and tests, and the pack's templates.
        foreach (var c in LabScreen.Challenges)
        {
            var listed = page.Locator($"[data-testid=catalogue-challenge][data-challenge='lab-screen/{c.Id}']");
            await Expect(listed).ToContainTextAsync(c.Title);
            await Expect(listed).ToContainTextAsync($"{c.ExpectedSolveMinutes} min expected");
            await Expect(listed.Locator(".level-pos")).ToHaveTextAsync(c.Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(listed).ToContainTextAsync($"{c.PublicTests.Count()} public");
        }
        var screen = LabScreen.Templates[0];
        await Expect(page.Locator($"[data-testid=template][data-template='lab-screen/{screen.Id}']")).ToContainTextAsync(screen.Name);
        // Other tests import packs of their own into this database: show the shipped one.
        await page.GetByTestId("catalogue-filter").FillAsync("lab-screen");
        await Expect(page.GetByTestId("catalogue-pack")).ToHaveCountAsync(1);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "builder-start");
        await Shot(page, "builder-start");
        await Accessibility.AssertReflowsAt320Async(page, "builder-start");

        // A template fills the form; starting from scratch again empties it, once confirmed.
        await page.Locator($"[data-testid=template][data-template='lab-screen/{screen.Id}']").GetByTestId("use-template").ClickAsync();
        var levels = page.GetByTestId("builder-level");
        await Expect(levels).ToHaveCountAsync(screen.Levels.Count);
        await Expect(page.Locator("#assessment-name")).ToHaveValueAsync(screen.Name);
        await Expect(page.GetByTestId("started-from")).ToContainTextAsync(screen.Name);
        await page.GetByTestId("from-scratch").ClickAsync();
        await page.Locator("dialog.confirm button.primary").ClickAsync();
        await Expect(levels).ToHaveCountAsync(0);
        await Expect(page.Locator("#assessment-name")).ToHaveValueAsync("");

        // Two levels from scratch, then the second moved up.
        await page.Locator("#assessment-name").FillAsync(name);
        await page.Locator("[data-testid=catalogue-challenge][data-challenge='lab-screen/numerics-warmup'] [data-testid=add-level]").ClickAsync();
        await page.Locator("[data-testid=catalogue-challenge][data-challenge='lab-screen/training-loop'] [data-testid=add-level]").ClickAsync();
        await Expect(levels).ToHaveCountAsync(2);
        await Expect(levels.Nth(0)).ToHaveAttributeAsync("data-challenge", "lab-screen/numerics-warmup");
        await Expect(page.Locator("[data-testid=catalogue-challenge][data-challenge='lab-screen/training-loop'] [data-testid=add-level]")).ToBeDisabledAsync();
        await levels.Nth(1).GetByTestId("move-up").ClickAsync();
        await Expect(levels.Nth(0)).ToHaveAttributeAsync("data-challenge", "lab-screen/training-loop");
        await Expect(levels.Nth(1)).ToHaveAttributeAsync("data-challenge", "lab-screen/numerics-warmup");
        await Expect(levels.Nth(0).GetByTestId("move-up")).ToBeDisabledAsync();
        await Expect(levels.Nth(1).GetByTestId("move-down")).ToBeDisabledAsync();

        await levels.Nth(0).GetByTestId("level-points").FillAsync("150");
        await levels.Nth(1).GetByTestId("level-rule").SelectOptionAsync("score");
        await levels.Nth(1).GetByTestId("level-threshold").FillAsync("80");
        await page.Locator("#time-limit").FillAsync("45");
        await page.Locator("#max-points").FillAsync("250");
        await page.Locator("#pass-points").FillAsync("300");
        await page.Locator("#hints-allowed").UncheckAsync();
        await page.Locator("#ai-policy").FillAsync("No AI assistants; TorchSharp docs are fine.");
        await page.Locator("#proctor-webcam").CheckAsync();

        // A pass bar above the maximum is refused at its field, in the server's words, before anything is sent.
        await page.GetByTestId("create-assessment").ClickAsync();
        await Expect(page.Locator("[data-testid=field-error][data-field=pass_points]")).ToHaveTextAsync("pass_points must be between 0 and max_points.");
        await using (var connection = await server.Db.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM assessments WHERE name = @name", new { name }));
        }
        await page.Locator("#pass-points").FillAsync("100");
        await Expect(page.Locator("[data-testid=field-error][data-field=pass_points]")).ToBeEmptyAsync();
        await page.GetByTestId("builder-form").EvaluateAsync("form => { form.scrollIntoView(); window.scrollBy(0, -70); }");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "builder-form");
        await Shot(page, "builder-form");
        await Accessibility.AssertReflowsAt320Async(page, "builder-form");
        await page.GetByTestId("create-assessment").ClickAsync();

        // Created as built, and the console is on the new assessment.
        await Expect(page.GetByTestId("assessment-name")).ToHaveTextAsync(name);
        var id = Guid.Parse(AssessmentUrl().Match(page.Url).Groups[1].Value);
        var created = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/assessments/{id}");
        var createdLevels = created.GetProperty("levels").EnumerateArray().ToList();
        Assert.Equal(["training-loop", "numerics-warmup"], createdLevels.Select(l => l.GetProperty("challenge_id").GetString()));
        Assert.Equal([150, 100], createdLevels.Select(l => l.GetProperty("points").GetInt32()));
        Assert.Equal([1.0, 0.8], createdLevels.Select(l => l.GetProperty("pass_threshold").GetDouble()));
        Assert.Equal(45, created.GetProperty("time_limit_minutes").GetInt32());
        Assert.Equal(250, created.GetProperty("max_points").GetInt32());
        Assert.Equal(100, created.GetProperty("pass_points").GetInt32());
        Assert.False(created.GetProperty("hints_allowed").GetBoolean());
        Assert.Equal("No AI assistants; TorchSharp docs are fine.", created.GetProperty("ai_policy").GetString());
        Assert.True(created.GetProperty("proctoring").GetProperty("webcam").GetBoolean());
        Assert.False(created.GetProperty("proctoring").GetProperty("screen").GetBoolean());

        // A pasted list with a bad e-mail: every row is checked, and nothing can be sent yet.
        await page.GetByTestId("invite-many").ClickAsync();
        await page.Locator("#bulk-csv").FillAsync("name,email\n\"Lovelace, Ada\",ada@example.com\nGrace Hopper,grace@example\nAlan Turing,\"alan@example.org\"\n");
        var badRow = page.Locator("[data-testid=bulk-row][data-line='3']");
        await Expect(badRow).ToHaveAttributeAsync("data-ok", "false");
        await Expect(badRow.GetByTestId("bulk-check")).ToHaveTextAsync("Line 3: email \"grace@example\" is not an e-mail address (name@example.com).");
        await Expect(page.Locator("[data-testid=bulk-row][data-line='2']")).ToContainTextAsync("Lovelace, Ada");
        await Expect(page.Locator("[data-testid=bulk-row][data-ok=true]")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("send-invites")).ToBeDisabledAsync();
        await page.GetByTestId("invite").ScrollIntoViewIfNeededAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "bulk-invite-check");
        await Shot(page, "bulk-invite-check");
        Assert.Equal(0, await InviteCountAsync(id));

        // An unclosed quote is said before any row is read; an uploaded file may order its columns its own way.
        await page.Locator("#bulk-csv").FillAsync("name,email\n\"Lovelace, Ada,ada@example.com\n");
        await Expect(page.Locator(".bulk-preview [data-testid=error]")).ToHaveTextAsync("Line 2: a quote is opened and never closed.");
        var upload = Path.Combine(Path.GetTempPath(), $"candidates-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(upload, "email,name,team\r\nada@example.com,\"Lovelace, Ada\",ml\r\n", new System.Text.UTF8Encoding(true));
        await page.Locator("#bulk-file").SetInputFilesAsync(upload);
        File.Delete(upload);
        await Expect(page.Locator("#bulk-csv")).ToHaveValueAsync(new Regex("^email,name,team"));
        await Expect(page.Locator("[data-testid=bulk-row][data-ok=true]")).ToContainTextAsync("Lovelace, Ada");
        await Expect(page.GetByTestId("send-invites")).ToHaveTextAsync("Send 1 invite");
        Assert.Equal(0, await InviteCountAsync(id));

        await page.Locator("#bulk-csv").FillAsync("name,email\r\n\"Lovelace, Ada\",ada@example.com\r\nGrace Hopper,grace@example.com\r\nAlan Turing,\"alan@example.org\"\r\n");
        await Expect(page.GetByTestId("send-invites")).ToHaveTextAsync("Send 3 invites");
        await page.GetByTestId("send-invites").ClickAsync();

        var links = page.GetByTestId("bulk-link");
        await Expect(links).ToHaveCountAsync(3);
        await Expect(links.Nth(0)).ToContainTextAsync("Lovelace, Ada");
        var urls = await links.GetByTestId("invite-link").AllTextContentsAsync();
        Assert.All(urls, u => Assert.StartsWith(new Uri(server.BaseAddress, "/invite/").ToString(), u, StringComparison.Ordinal));
        Assert.Equal(3, await InviteCountAsync(id));
        await using (var connection = await server.Db.OpenConnectionAsync())
        {
            var emails = await connection.QueryAsync<string>("SELECT email FROM invites WHERE assessment_id = @id ORDER BY email", new { id });
            Assert.Equal(["ada@example.com", "alan@example.org", "grace@example.com"], emails);
        }

        await links.Nth(1).GetByTestId("copy-link").ClickAsync();
        await Expect(links.Nth(1).GetByTestId("copy-link")).ToHaveTextAsync("Copied");
        Assert.Equal(urls[1], await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-links").ClickAsync());
        var csv = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"name\",\"email\",\"link\",\"expires_at\"", csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith($"\"Lovelace, Ada\",\"ada@example.com\",\"{urls[0]}\"", csv[1], StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "bulk-invite-links");
        await Shot(page, "bulk-invite-links");
        await Accessibility.AssertReflowsAt320Async(page, "bulk-invite-links");

        // Ada opens her link in her own browser profile and starts; the console gives her running session 15 more minutes.
        var adaContext = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 960 } });
        var ada = await adaContext.NewPageAsync();
        ada.PageError += (_, e) => pageErrors.Add(e);
        await ada.GotoAsync(urls[0]);
        await ada.GetByTestId("consent-rules").CheckAsync();
        await ada.GetByTestId("consent-webcam").CheckAsync();
        await ada.GetByTestId("start").ClickAsync();
        await Expect(ada.GetByTestId("countdown")).ToHaveTextAsync(new Regex(@"^4[45]:\d\d left$"));
        var token = await ada.EvaluateAsync<string>("invite => localStorage.getItem('bughunt.session.' + invite)", urls[0].Split("/invite/")[1]);
        using var candidate = server.Client(token);
        var before = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        var deadline = before.GetProperty("deadline").GetDateTime();

        var row = page.Locator($"[data-testid=session-row][data-session-id='{before.GetProperty("id").GetGuid()}']");
        await Expect(row).ToHaveAttributeAsync("data-status", "in_progress", new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("email")).ToHaveTextAsync("ada@example.com");
        await row.GetByTestId("give-extra-time").ClickAsync();
        var dialog = page.GetByTestId("extra-time-dialog");
        await dialog.Locator("#extra-minutes").FillAsync("15");
        await dialog.GetByTestId("grant-extra-time").ClickAsync();
        await Expect(dialog.GetByTestId("extra-time-error")).ToContainTextAsync("reason is required");
        await dialog.Locator("#extra-reason").FillAsync("Lost the connection for a quarter of an hour");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "extra-time-dialog");
        await Shot(page, "extra-time-dialog");
        await dialog.GetByTestId("grant-extra-time").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("extra-minutes")).ToHaveTextAsync("+15 min extra");
        await Expect(page.Locator("#toasts")).ToContainTextAsync("15 more minutes");

        var session = await candidate.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal(deadline.AddMinutes(15), session.GetProperty("deadline").GetDateTime());
        Assert.Equal(15, session.GetProperty("extra_minutes").GetInt32());
        await Expect(page.Locator("#toasts .toast")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await row.ScrollIntoViewIfNeededAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "extra-time-given");
        await Shot(page, "extra-time-given");
        await Accessibility.AssertReflowsAt320Async(page, "extra-time-given");

        // Ada's countdown follows the server's new deadline without a reload.
        await Expect(ada.GetByTestId("countdown")).ToHaveTextAsync(new Regex(@"^(59|60):\d\d left$"), new() { Timeout = 45_000 });
        await Expect(ada.Locator("#toasts")).ToContainTextAsync("You have been given 15 more minutes.");
        await Accessibility.AssertNoSeriousViolationsAsync(ada, "candidate-extra-time");
        await Shot(ada, "candidate-extra-time");
        await Accessibility.AssertReflowsAt320Async(ada, "candidate-extra-time");

        Assert.Empty(pageErrors);
        await browser.CloseAsync();
    }

    private async Task<int> InviteCountAsync(Guid assessment)
    {
        await using var connection = await server.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM invites WHERE assessment_id = @assessment", new { assessment });
    }

    private static Task Shot(IPage page, string name, bool fullPage = false) => AssessmentInBrowserTests.Shot(page, name, fullPage);
}
