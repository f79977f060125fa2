using BugHunt.Api.Tests;
using BugHunt.Core.Staff;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace BugHunt.Browser.Tests;

/// <summary>Staff sign in to the proctor console with their own keys, and each role sees what it may.</summary>
[Collection(ServerCollection.Name)]
public sealed class StaffConsoleTests(BugHuntServer server)
{
    [BrowserFact]
    public async Task Proctor_signs_in_sees_who_they_are_and_is_told_which_views_need_another_role()
    {
        var (name, key) = await server.NewStaffAsync(StaffRole.Proctor);
        var (candidate, sessionId) = await server.NewCandidateAsync();
        candidate.Dispose();
        await SignInAsync(key, async page =>
        {
            await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"signed in as {name} (proctor)");
            // A proctor lists assessments to reach their sessions, but building one is the recruiters':
            // the page says so, and the proctor stays signed in.
            await page.GotoAsync(new Uri(server.BaseAddress, "/proctor#/assessments/new").ToString());
            await Expect(page.GetByTestId("error")).ToContainTextAsync($"you are signed in as {name} (proctor).");
            await Expect(page.GetByTestId("error")).ToContainTextAsync("recruiter");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "proctor-role-needed");
            await Expect(page.Locator("#admin-key")).ToHaveCountAsync(0);

            await page.GotoAsync(new Uri(server.BaseAddress, $"/proctor#/sessions/{sessionId}").ToString());
            await Expect(page.GetByTestId("candidate-name")).ToHaveTextAsync("Ada");
            await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"signed in as {name} (proctor)");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "proctor-session-unstarted");
            await Accessibility.AssertReflowsAt320Async(page, "proctor-session-unstarted");
        });
    }

    [BrowserFact]
    public async Task Revoked_key_is_refused_at_sign_in_saying_so()
    {
        var (name, key) = await server.NewStaffAsync(StaffRole.Recruiter);
        using (var admin = server.Admin())
        {
            (await admin.DeleteAsync($"/api/admin/users/{name}")).EnsureSuccessStatusCode();
        }
        await SignInAsync(key, page => Expect(page.GetByTestId("sign-in-message")).ToContainTextAsync($"The key of {name} was revoked"));
    }

    /// <summary>Opens the console in a fresh Chromium, signs in with <paramref name="key"/>, and hands over the page.</summary>
    private async Task SignInAsync(string key, Func<IPage, Task> then)
    {
        await using var chromium = await HeadlessChromium.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await chromium.ConnectAsync(playwright);
        var page = browser.Contexts[0].Pages[0];
        await page.GotoAsync(new Uri(server.BaseAddress, "/proctor").ToString());
        await Expect(page.Locator("#admin-key")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "proctor-sign-in");
        await Accessibility.AssertReflowsAt320Async(page, "proctor-sign-in");
        await page.Locator("#admin-key").FillAsync(key);
        await page.Locator("#sign-in").ClickAsync();
        await then(page);
        await browser.CloseAsync();
    }
}
