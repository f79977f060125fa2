using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Api.Tests;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace BugHunt.Browser.Tests;

/// <summary>
/// The debugging workbench in Chromium: a candidate runs the level's starting notebook on the
/// starter, sees the loss chart and the overflow, fixes it in the editor and sees the value
/// change; the cells, outputs and notes come back after a reload, and the proctor reads the runs
/// on the timeline and the notes. The grader runs every notebook in a real sandbox.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NotebookInBrowserTests(BugHuntServer server)
{
    private static readonly Challenge Numerics = PackLoader.Load(Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "lab-screen"))
        .Challenges.Single(c => c.Id == "numerics-warmup");

    // The planted overflow (bugs/logsumexp-overflow.diff) and the reference's body for it.
    private const string Overflow = "return x.exp().sum(dim).log();";
    private const string Stable = "var max = x.max(dim, keepdim: true).values;\n        return max.squeeze(dim) + (x - max).exp().sum(dim).log();";

    private const string LogSumExp = "LogSumExp(logits, dim: 1)";
    private const string Note = "LogSumExp overflowed to Infinity on the row [1000, 1001, 1002]; shifting by the row max gives 1002.41.";

    [BrowserFact]
    public async Task Candidate_runs_the_starting_notebook_fixes_the_overflow_and_the_proctor_sees_the_runs_and_the_note()
    {
        var starter = Numerics.StarterFiles["Numerics.cs"];
        Assert.Contains(Overflow, starter, StringComparison.Ordinal);
        var startingCells = Numerics.Notebook!.Count;
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "notebook " + Guid.NewGuid().ToString("N")[..6],
            time_limit_minutes = 45,
            levels = new[] { new { pack = "lab-screen", challenge = "numerics-warmup", points = 100 } },
        });
        var invite = await server.InviteAsync(assessment, new { candidate = "Nora Notebook" });
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        var pageErrors = new List<string>();
        page.PageError += (_, e) => pageErrors.Add(e);

        await page.GotoAsync(new Uri(server.BaseAddress, $"/invite/{invite}").ToString());
        await page.GetByTestId("consent-rules").CheckAsync();
        await page.GetByTestId("start").ClickAsync();
        await Expect(page.GetByTestId("ide")).ToBeVisibleAsync();

        // The level's starting notebook, beside the editor.
        await page.GetByTestId("tab-notebook").ClickAsync();
        var cells = page.GetByTestId("notebook-cell");
        await Expect(cells).ToHaveCountAsync(startingCells);
        await Expect(page.GetByTestId("starting-notebook")).ToBeVisibleAsync();
        await Expect(cells.First).ToContainTextAsync("Numerics.Softmax(logits, 1)");

        // Run all on the starter: the loss is charted and LogSumExp overflows.
        await page.GetByTestId("notebook-run-all").ClickAsync();
        await ExpectRunDoneAsync(page);
        await Expect(page.Locator("[data-testid=notebook-cell][data-status=ok]")).ToHaveCountAsync(startingCells);
        var loss = Display(page, "line", "training loss");
        await Expect(loss.Locator("svg polyline.series")).ToHaveCountAsync(1);
        await Expect(loss.GetByTestId("line-chart")).ToHaveAttributeAsync("data-points", "60");
        var overflow = Display(page, "tensor", LogSumExp);
        await Expect(overflow.GetByTestId("tensor-preview")).ToContainTextAsync("Infinity");
        await Expect(overflow.Locator("td.nonfinite")).ToHaveCountAsync(1);
        await Expect(overflow.GetByTestId("tensor-stats")).ToContainTextAsync("1 infinite");
        await Expect(page.GetByTestId("starting-notebook")).ToHaveCountAsync(0);
        await overflow.ScrollIntoViewIfNeededAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "notebook-tensors");
        await AssessmentInBrowserTests.Shot(page, "notebook-tensors");
        await Accessibility.AssertReflowsAt320Async(page, "notebook-tensors");
        await loss.ScrollIntoViewIfNeededAsync();
        await loss.Locator("svg").HoverAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "notebook-loss-chart");
        await AssessmentInBrowserTests.Shot(page, "notebook-loss-chart");

        // The fix goes into the editor; a new cell calls the fixed method wrongly, to see its stack.
        await page.Locator(".editor-host .cm-content").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await AssessmentInBrowserTests.PasteAsync(page.Locator(".editor-host .cm-content"), starter.Replace(Overflow, Stable, StringComparison.Ordinal));
        await page.GetByTestId("add-cell").ClickAsync();
        await Expect(cells).ToHaveCountAsync(startingCells + 1);
        await page.Keyboard.TypeAsync("Numerics.LogSumExp(logits, 5)");
        await page.Keyboard.PressAsync("Control+Enter");
        await ExpectRunDoneAsync(page);
        await Expect(overflow.GetByTestId("tensor-preview")).ToContainTextAsync("1002.41");
        await Expect(overflow.Locator("td.nonfinite")).ToHaveCountAsync(0);
        await Expect(overflow.GetByTestId("tensor-stats")).ToContainTextAsync("0 infinite");
        var added = cells.Nth(startingCells);
        await Expect(added).ToHaveAttributeAsync("data-status", "exception");
        await Expect(added.GetByTestId("cell-exception")).ToContainTextAsync("Dimension out of range");
        await Expect(added.GetByTestId("cell-stack")).ToContainTextAsync("Numerics.cs:");
        await Expect(added.GetByTestId("cell-stack")).ToContainTextAsync("cell 5, line 1");
        await Expect(page.GetByTestId("run-summary")).ToContainTextAsync("cell 5: exception");
        await overflow.ScrollIntoViewIfNeededAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "notebook-after-fix");
        await AssessmentInBrowserTests.Shot(page, "notebook-after-fix");

        // Notes for the reviewer, saved as typed.
        await page.GetByTestId("notes").FillAsync(Note);
        await Expect(page.GetByTestId("notebook-save-state")).ToContainTextAsync("Notebook saved");

        // After a reload: the notebook tab, the cells, their last outputs and the note.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("tab-notebook")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(cells).ToHaveCountAsync(startingCells + 1);
        await Expect(Display(page, "tensor", LogSumExp).GetByTestId("tensor-preview")).ToContainTextAsync("1002.41");
        await Expect(Display(page, "line", "training loss").Locator("svg polyline.series")).ToHaveCountAsync(1);
        await Expect(cells.Nth(startingCells).GetByTestId("cell-exception")).ToContainTextAsync("Dimension out of range");
        await Expect(page.GetByTestId("notes")).ToHaveValueAsync(Note);
        // ...and how the last run ended, above the cells.
        await Expect(page.GetByTestId("run-summary")).ToHaveAttributeAsync("data-outcome", "completed");

        // The proctor: both runs on the timeline, one opened to its cells and outputs, and the note.
        using var admin = server.Admin();
        var sessions = await BugHuntServer.AllItemsAsync(admin, $"/api/admin/assessments/{assessment}/sessions");
        var sessionId = sessions.Single().GetProperty("id").GetGuid();
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 960 } });
        var console = await context.NewPageAsync();
        console.PageError += (_, e) => pageErrors.Add(e);
        await console.GotoAsync(new Uri(server.BaseAddress, $"/proctor#/sessions/{sessionId}").ToString());
        await console.Locator("#admin-key").FillAsync(BugHuntServer.AdminKey);
        await console.Locator("#sign-in").ClickAsync();
        var runs = console.Locator("[data-testid=timeline-entry][data-kind=notebook_run]");
        await Expect(runs).ToHaveCountAsync(2);
        await Expect(runs.First).ToContainTextAsync($"{startingCells} cells — completed");
        await Expect(runs.Nth(1)).ToContainTextAsync($"{startingCells + 1} cells — completed, cell {startingCells + 1} threw");
        await Expect(console.GetByTestId("level-notes")).ToContainTextAsync(Note);
        await runs.First.GetByTestId("open-notebook-run").ClickAsync();
        var opened = runs.First.GetByTestId("notebook-run-cells");
        await Expect(opened.GetByTestId("run-cell")).ToHaveCountAsync(startingCells);
        await Expect(opened.Locator($"[data-testid=display][data-kind=tensor][data-label='{LogSumExp}']")).ToContainTextAsync("Infinity");
        await Expect(opened.Locator("[data-testid=display][data-kind=line][data-label='training loss'] svg polyline.series")).ToHaveCountAsync(1);
        await Expect(opened).ToContainTextAsync("Numerics.LogSumExp(logits, 1)");
        await Accessibility.AssertNoSeriousViolationsAsync(console, "proctor-notebook");
        await AssessmentInBrowserTests.Shot(console, "proctor-notebook");
        await Accessibility.AssertReflowsAt320Async(console, "proctor-notebook");
        await opened.Locator($"[data-testid=display][data-kind=tensor][data-label='{LogSumExp}']").ScrollIntoViewIfNeededAsync();
        await console.GetByTestId("timeline-panel").ScreenshotAsync(new() { Path = Path.Combine(AssessmentInBrowserTests.ScreenshotFolder, "proctor-notebook-timeline.png") });
        await opened.Locator("[data-testid=display][data-kind=line]").ScrollIntoViewIfNeededAsync();
        await console.GetByTestId("timeline-panel").ScreenshotAsync(new() { Path = Path.Combine(AssessmentInBrowserTests.ScreenshotFolder, "proctor-notebook-loss.png") });

        Assert.Empty(pageErrors);
        await browser.CloseAsync();
    }

    /// <summary>The notebook's run has ended (a sandbox may take a while to start on a small machine).</summary>
    private static Task ExpectRunDoneAsync(IPage page) =>
        Expect(page.GetByTestId("notebook-status")).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(done|failed)$"), new() { Timeout = 180_000 });

    private static ILocator Display(IPage page, string kind, string label) =>
        page.Locator($"[data-testid=notebook] [data-testid=display][data-kind={kind}][data-label='{label}']");
}
