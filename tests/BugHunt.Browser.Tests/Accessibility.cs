using System.Globalization;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace BugHunt.Browser.Tests;

/// <summary>
/// Accessibility checks run at each state a browser test reaches: axe-core (bundled with
/// Deque.AxeCore.Playwright, so it runs offline) must find no serious or critical violation, and the
/// page must reflow at 320 CSS px (WCAG 1.4.10). Every state's counts per impact are appended to
/// test-results/accessibility.tsv, so a run shows what moderate and minor findings remain.
/// </summary>
public static class Accessibility
{
    private static readonly string[] Impacts = ["critical", "serious", "moderate", "minor"];
    private static readonly Lock ReportLock = new();

    public static string ReportFile => Path.Combine(Path.GetDirectoryName(AssessmentInBrowserTests.ScreenshotFolder)!, "accessibility.tsv");

    /// <summary>Runs axe on the whole page and fails naming each serious or critical violation: rule, impact, targets and help.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        // Counted as axe does: one violation per rule, with how many elements break it beside.
        var counts = Impacts.Select(i => result.Violations.Count(v => v.Impact == i).ToString(CultureInfo.InvariantCulture));
        Record(state, "axe", string.Join('\t', counts),
            string.Join(' ', result.Violations.Select(v => $"{v.Id}:{v.Impact}:{v.Nodes.Length.ToString(CultureInfo.InvariantCulture)}[{string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target))}]")));
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical violation(s) on '{state}':\n" + string.Join("\n", serious.Select(Describe)));
    }

    /// <summary>
    /// At a 320 CSS px wide viewport the page does not scroll sideways: content that needs two
    /// dimensions (the code editor, data tables) scrolls inside its own keyboard-reachable container.
    /// The viewport is restored afterwards.
    /// </summary>
    public static async Task AssertReflowsAt320Async(IPage page, string state)
    {
        var before = page.ViewportSize ?? new PageViewportSizeResult { Width = 1440, Height = 960 };
        await page.SetViewportSizeAsync(320, 640);
        try
        {
            var overflow = await page.EvaluateAsync<string[]>("""
                async () => {
                  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
                  const root = document.scrollingElement;
                  if (root.scrollWidth <= root.clientWidth) return [];
                  // Name the widest elements that stick out, so a failure says what to fix.
                  const limit = root.clientWidth;
                  return [`page scrolls ${root.scrollWidth}px wide in ${limit}px`].concat(
                    [...document.body.querySelectorAll("*")]
                      .filter((el) => el.getBoundingClientRect().right > limit + 1)
                      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= limit + 1)
                      .slice(0, 8)
                      .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} right=${Math.round(el.getBoundingClientRect().right)}`));
                }
                """);
            Record(state, "reflow-320", overflow.Length == 0 ? "ok" : "overflows", string.Join("; ", overflow));
            Assert.True(overflow.Length == 0, $"'{state}' does not reflow at 320 CSS px:\n" + string.Join("\n", overflow));
        }
        finally
        {
            await page.SetViewportSizeAsync(before.Width, before.Height);
        }
    }

    private static string Describe(AxeResultItem v) =>
        $"- {v.Id} ({v.Impact}): {v.Help} [{v.HelpUrl}]\n" + string.Join("\n", v.Nodes.Select(n => $"    {n.Target}"));

    private static void Record(string state, string check, string outcome, string detail)
    {
        lock (ReportLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ReportFile)!);
            File.AppendAllText(ReportFile, $"{state}\t{check}\t{outcome}\t{detail}\n");
        }
    }
}
