using BugHunt.Api.Tests;
using BugHunt.Core.Authoring;
using BugHunt.Core.Packs;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace BugHunt.Browser.Tests;

/// <summary>
/// Pack authors in the author console (/author): upload a pack, follow its validation on a real
/// grader, read the report, publish it and browse what was published; a rejudge and its diff.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AuthorInBrowserTests(BugHuntServer server)
{
    private static readonly TimeSpan Validation = TimeSpan.FromMinutes(5);

    private static string NewPackId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    [BrowserFact]
    public async Task Author_uploads_a_pack_follows_its_validation_reads_the_report_publishes_it_and_opens_the_version()
    {
        var (name, key) = await server.NewStaffAsync(StaffRole.Author);
        var packId = NewPackId("browser");
        // Packed as `tar czf` packs a folder (one top-level folder), written to disk like an author's file.
        var archive = Path.Combine(Directory.CreateTempSubdirectory("bughunt-author-").FullName, $"{packId}.tar.gz");
        await File.WriteAllBytesAsync(archive, TestPacks.TarGz(TestPacks.Echo(packId).Select(f => ($"{packId}/{f.Key}", f.Value))));

        await WithAuthorConsoleAsync(key, async (page, errors) =>
        {
            await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"signed in as {name} (author)");
            await Expect(page.Locator(".brand-sub").First).ToHaveTextAsync("Author console");
            await page.GetByTestId("pack-file").SetInputFilesAsync(archive);
            await Expect(page.GetByTestId("chosen-file")).ToContainTextAsync($"{packId}.tar.gz");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-upload");
            await Shot(page, "author-upload");
            await Accessibility.AssertReflowsAt320Async(page, "author-upload");
            await page.GetByTestId("upload").ClickAsync();

            // The validation page follows the grader line by line, then shows the report.
            await Expect(page.GetByTestId("validation-title")).ToContainTextAsync("Fixture for sandbox tests");
            var progress = page.GetByTestId("progress");
            await Expect(progress).ToContainTextAsync($"pack {packId}, 7 files");
            await Expect(progress).ToContainTextAsync("reference run 1/3", new() { Timeout = (float)Validation.TotalMilliseconds });
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-validation-live");
            await Shot(page, "author-validation-live");
            await Expect(page.GetByTestId("validation-status")).ToHaveAttributeAsync("data-status", "passed", new() { Timeout = (float)Validation.TotalMilliseconds });
            await Expect(progress).ToContainTextAsync("done: the pack passed validation");
            Assert.True(await page.GetByTestId("progress-line").CountAsync() >= 10, "the progress lines did not stream in");

            var echo = page.Locator("[data-testid=challenge-report][data-challenge=echo]");
            await Expect(echo).ToHaveAttributeAsync("data-passed", "true");
            await Expect(echo.GetByTestId("reference-deterministic")).ToHaveAttributeAsync("data-deterministic", "true");
            await Expect(echo.GetByTestId("reference-timing")).ToContainTextAsync("of the 40 s time limit");
            await Expect(echo.GetByTestId("starter")).ToHaveAttributeAsync("data-caught", "true");
            var triples = echo.Locator("[data-testid=bugs] [data-testid=variant][data-variant-id=triples]");
            await Expect(triples).ToHaveAttributeAsync("data-caught", "true");
            await Expect(triples).ToContainTextAsync("doubles-another-tensor");
            await Expect(triples).ToContainTextAsync("Wrong answer");
            await Expect(echo.GetByTestId("mutation-score")).ToHaveTextAsync("score 100%");
            await Expect(echo.GetByTestId("mutants-by-operator").GetByTestId("operator-row").First).ToBeVisibleAsync();
            await Expect(echo.GetByTestId("no-survivors")).ToBeVisibleAsync();
            var killed = echo.GetByTestId("killed-mutants");
            await Expect(killed.GetByTestId("mutant").First).ToBeHiddenAsync();
            await killed.Locator("summary").ClickAsync();
            await Expect(killed.GetByTestId("mutant").First).ToContainTextAsync("doubles-another-tensor");
            await Expect(echo.GetByTestId("equivalent-mutants")).ToContainTextAsync("2 declared equivalent");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-report");
            await Shot(page, "author-report", fullPage: true);
            await Accessibility.AssertReflowsAt320Async(page, "author-report");

            await page.GetByTestId("publish-button").ClickAsync();
            await Expect(page.Locator("dialog.confirm")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-publish-dialog");
            await page.Locator("dialog.confirm button.primary").ClickAsync();
            var published = page.GetByTestId("published");
            await Expect(published).ToContainTextAsync($"by {name}");
            await Expect(published.Locator("[data-testid=published-version][data-challenge=echo]")).ToContainTextAsync("new version");
            await Expect(page.GetByTestId("validation-status")).ToHaveAttributeAsync("data-status", "published");
            await Expect(page.GetByTestId("publish-button")).ToHaveCountAsync(0);

            // The pack: the one version, latest, no submissions yet, its validation linked.
            await published.GetByTestId("open-pack").ClickAsync();
            await Expect(page.GetByTestId("pack-title")).ToHaveTextAsync("Fixture for sandbox tests (not served)");
            var version = page.Locator("[data-testid=challenge][data-challenge=echo] [data-testid=version-row]");
            await Expect(version).ToHaveCountAsync(1);
            await Expect(version).ToHaveAttributeAsync("data-latest", "true");
            await Expect(version.GetByTestId("submissions")).ToHaveTextAsync("0");
            await Expect(page.GetByTestId("rejudge-form")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("pack-validation-row")).ToHaveCountAsync(1);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-pack");
            await Shot(page, "author-pack");
            await Accessibility.AssertReflowsAt320Async(page, "author-pack");

            // The version as its author wrote it: the planted bug as a coloured diff, the tests, the probes.
            await version.GetByTestId("open-version").ClickAsync();
            await Expect(page.GetByTestId("version-title")).ToHaveTextAsync("Doubles a tensor");
            await Expect(page.Locator("[data-testid=starter-file][data-file='Solution.cs']")).ToContainTextAsync("return x * 3;");
            var diff = page.Locator("[data-testid=bugs] [data-variant-id=triples] [data-testid=variant-diff]");
            await Expect(diff.Locator(".line.del")).ToHaveTextAsync("-        return x * 2;");
            await Expect(diff.Locator(".line.add")).ToHaveTextAsync("+        return x * 3;");
            await Expect(page.GetByTestId("test-row")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=test-row][data-visibility=hidden]")).ToContainTextAsync("doubles-another-tensor");
            await Expect(page.Locator("[data-testid=probes] summary")).ToHaveCountAsync(2);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-version");
            await Shot(page, "author-version", fullPage: true);
            await Accessibility.AssertReflowsAt320Async(page, "author-version");
            Assert.Empty(errors);
        });
    }

    [BrowserFact]
    public async Task A_bad_archive_dropped_on_the_page_is_refused_naming_its_entry_and_a_malformed_pack_its_file_and_field()
    {
        var (_, key) = await server.NewStaffAsync(StaffRole.Author);
        var bad = TestPacks.TarGz([.. TestPacks.Echo(NewPackId("refused")).Select(f => (f.Key, f.Value)), ("echo/../../outside.cs", "class Outside {}")]);
        var malformed = TestPacks.Echo(NewPackId("malformed"));
        malformed["echo/challenge.yaml"] = malformed["echo/challenge.yaml"].Replace("visibility: hidden", "visibility: secret", StringComparison.Ordinal);

        await WithAuthorConsoleAsync(key, async (page, errors) =>
        {
            // Dropped as a browser drops a file: a drop event whose DataTransfer holds it.
            await page.GetByTestId("drop-zone").EvaluateAsync("""
                (zone, base64) => {
                  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
                  const data = new DataTransfer();
                  data.items.add(new File([bytes], "refused.tar.gz", { type: "application/gzip" }));
                  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
                }
                """, Convert.ToBase64String(bad));
            await Expect(page.GetByTestId("chosen-file")).ToContainTextAsync("refused.tar.gz");
            await page.GetByTestId("upload").ClickAsync();

            var error = page.GetByTestId("upload-error");
            await Expect(error).ToContainTextAsync("Archive refused");
            await Expect(error.GetByTestId("upload-error-entry")).ToHaveTextAsync("echo/../../outside.cs");
            await Expect(error.GetByTestId("upload-error-detail")).ToContainTextAsync("climbs out of the pack folder");
            await Expect(page.GetByTestId("upload")).ToBeEnabledAsync();
            Assert.EndsWith("/author", page.Url.TrimEnd('#', '/'), StringComparison.Ordinal);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-upload-refused");
            await Shot(page, "author-upload-refused");

            // A readable archive whose pack is not valid: the file and the field at fault.
            await page.GetByTestId("pack-file").SetInputFilesAsync(new FilePayload
            {
                Name = "malformed.tar.gz", MimeType = "application/gzip", Buffer = TestPacks.TarGz(malformed.Select(f => (f.Key, f.Value))),
            });
            await page.GetByTestId("upload").ClickAsync();
            await Expect(error).ToContainTextAsync("Pack not valid");
            await Expect(error.GetByTestId("upload-error-file")).ToContainTextAsync("echo/challenge.yaml");
            await Expect(error.GetByTestId("upload-error-field")).ToHaveTextAsync("tests[1].visibility");
            Assert.Empty(errors);
        });
    }

    [BrowserFact]
    public async Task A_recruiter_is_told_the_author_role_is_needed()
    {
        var (name, key) = await server.NewStaffAsync(StaffRole.Recruiter);
        await WithAuthorConsoleAsync(key, async (page, errors) =>
        {
            await Expect(page.GetByTestId("role-needed")).ToContainTextAsync($"This needs the author role; you are signed in as {name} (recruiter).");
            await Expect(page.GetByTestId("upload-panel")).ToHaveCountAsync(0);
            // Rejudges are a recruiter's to apply, so their list stays open.
            await Expect(page.GetByTestId("rejudges-panel")).ToBeVisibleAsync();
            await Expect(page.Locator("#admin-key")).ToHaveCountAsync(0);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-role-needed");
            await Shot(page, "author-role-needed");
            Assert.Empty(errors);
        });
    }

    [BrowserFact]
    public async Task Author_starts_a_rejudge_between_two_versions_reads_its_diff_and_a_recruiter_applies_it()
    {
        // Version 1 doubles; a candidate submits the tripling starter (wrong), another the reference.
        var packId = NewPackId("rejudge");
        var store = new ChallengeStore(server.Db, TimeProvider.System);
        var v1Files = TestPacks.Echo(packId);
        using (var loaded = PackFiles.Load(v1Files))
        {
            await store.ImportAsync(loaded.Pack, CancellationToken.None);
        }
        var assessment = await server.CreateAssessmentAsync(new { name = "rejudged " + packId, levels = new[] { new { pack = packId, challenge = "echo", points = 100 } } });
        var reference = v1Files["echo/reference/Solution.cs"];
        var tripling = reference.Replace("x * 2", "x * 3", StringComparison.Ordinal);
        foreach (var (candidate, code, verdict) in new[] { ("Tina Triple", tripling, "wrong_answer"), ("Dora Double", reference, "accepted") })
        {
            var (client, _) = await server.OpenAsync(await server.InviteAsync(assessment, new { candidate }));
            using (client)
            {
                var id = await server.SubmitAsync(client, new Dictionary<string, string> { ["Solution.cs"] = code });
                Assert.Equal(verdict, (await BugHuntServer.VerdictAsync(client, id)).GetProperty("verdict").GetString());
            }
        }
        // Version 2 says the task was to triple all along: the reference and the planted bug trade places.
        var v2Files = new SortedDictionary<string, string>(v1Files, StringComparer.Ordinal)
        {
            ["echo/reference/Solution.cs"] = tripling,
            ["echo/bugs/triples.diff"] = v1Files["echo/bugs/triples.diff"].Replace("-        return x * 2;\n+        return x * 3;", "-        return x * 3;\n+        return x * 2;", StringComparison.Ordinal),
        };
        using (var loaded = PackFiles.Load(v2Files))
        {
            await store.ImportAsync(loaded.Pack, CancellationToken.None);
        }
        var (_, authorKey) = await server.NewStaffAsync(StaffRole.Author);
        var (recruiter, recruiterKey) = await server.NewStaffAsync(StaffRole.Recruiter);

        string rejudgeUrl = "";
        await WithAuthorConsoleAsync(authorKey, async (page, errors) =>
        {
            await page.GotoAsync(new Uri(server.BaseAddress, $"/author#/packs/{packId}").ToString());
            var versions = page.Locator("[data-testid=challenge][data-challenge=echo] [data-testid=version-row]");
            await Expect(versions).ToHaveCountAsync(2);
            await Expect(versions.Nth(0)).ToHaveAttributeAsync("data-latest", "true");
            await Expect(versions.Nth(1).GetByTestId("submissions")).ToHaveTextAsync("2");
            // The form starts from the older version with submissions, against the latest.
            var form = page.GetByTestId("rejudge-form");
            await Expect(form.GetByTestId("rejudge-from")).ToHaveValueAsync(await versions.Nth(1).GetAttributeAsync("data-version-id") ?? "");
            await Expect(form.GetByTestId("rejudge-to")).ToHaveValueAsync(await versions.Nth(0).GetAttributeAsync("data-version-id") ?? "");
            await form.GetByTestId("start-rejudge").ClickAsync();

            await Expect(page.GetByTestId("rejudge-progress")).ToHaveAttributeAsync("value", "2", new() { Timeout = 180_000 });
            var changes = page.GetByTestId("rejudge-change");
            await Expect(changes).ToHaveCountAsync(2);
            await Expect(changes.Filter(new() { HasText = "Tina Triple" })).ToContainTextAsync("Wrong answer → Accepted");
            await Expect(changes.Filter(new() { HasText = "Tina Triple" })).ToContainTextAsync("0% → 100%");
            await Expect(changes.Filter(new() { HasText = "Dora Double" })).ToContainTextAsync("Accepted → Wrong answer");
            await Expect(page.GetByTestId("rejudge-version").Last).ToContainTextAsync("latest");
            await Expect(page.GetByTestId("unchanged-count")).ToHaveTextAsync("0");
            await Expect(page.GetByTestId("could-not-grade-count")).ToHaveTextAsync("0");
            // Authors start rejudges; recruiters decide them.
            await Expect(page.GetByTestId("recruiter-note")).ToContainTextAsync("A recruiter reads this diff");
            await Expect(page.GetByTestId("apply-rejudge")).ToHaveCountAsync(0);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "author-rejudge");
            await Shot(page, "author-rejudge", fullPage: true);
            await Accessibility.AssertReflowsAt320Async(page, "author-rejudge");
            rejudgeUrl = page.Url;
            Assert.Empty(errors);
        });

        await WithAuthorConsoleAsync(recruiterKey, async (page, errors) =>
        {
            await page.GotoAsync(rejudgeUrl);
            await Expect(page.GetByTestId("rejudge-change")).ToHaveCountAsync(2);
            await page.GetByTestId("apply-rejudge").ClickAsync();
            await page.Locator("dialog.confirm button.primary").ClickAsync();
            await Expect(page.GetByTestId("rejudge-state")).ToHaveAttributeAsync("data-state", "applied");
            await Expect(page.GetByTestId("decided")).ToContainTextAsync($"by {recruiter}");
            await Expect(page.GetByTestId("apply-rejudge")).ToHaveCountAsync(0);
            Assert.Empty(errors);
        });
    }

    /// <summary>Opens /author in a fresh Chromium, signs in with <paramref name="key"/>, and hands over the page and its script errors.</summary>
    private async Task WithAuthorConsoleAsync(string key, Func<IPage, List<string>, Task> then)
    {
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(server.BaseAddress, "/author").ToString());
        await Expect(page.GetByTestId("sign-in-form")).ToContainTextAsync("Author console");
        await page.Locator("#admin-key").FillAsync(key);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        await then(page, errors);
        await browser.CloseAsync();
    }

    private static Task Shot(IPage page, string name) => AssessmentInBrowserTests.Shot(page, name);

    /// <summary>A whole-page screenshot from the top, so that the sticky header is drawn there and not over the middle.</summary>
    private static async Task Shot(IPage page, string name, bool fullPage)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await AssessmentInBrowserTests.Shot(page, name, fullPage);
    }
}
