using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BugHunt.Core.Staff;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Dapper;
using Microsoft.AspNetCore.Builder;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// Webhooks end to end: subscriptions through the staff API, events from the real candidate and
/// grading paths, deliveries by dispatchers of real API instances to a real receiver on loopback.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WebhookTests(BugHuntServer server) : IAsyncLifetime
{
    private readonly List<WebApplication> _apis = [];
    private readonly List<Guid> _subscriptions = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Subscriptions of a finished test take no more events.
        if (_subscriptions.Count > 0)
        {
            using var admin = server.Admin();
            foreach (var id in _subscriptions)
            {
                await admin.DeleteAsync($"/api/admin/webhooks/{id}");
            }
        }
        foreach (var api in _apis.ToList())
        {
            await StopAsync(api);
        }
    }

    /// <summary>An API instance whose dispatcher runs (the fixture's does not), with more settings if given.</summary>
    private async Task<WebApplication> DispatcherAsync(params (string Key, string Value)[] settings)
    {
        var (app, _) = await server.StartApiAsync(new SubmissionRules(), configure: b =>
        {
            b.Configuration["BUGHUNT_WEBHOOKS_DISPATCH"] = "true";
            foreach (var (key, value) in settings)
            {
                b.Configuration[key] = value;
            }
        });
        _apis.Add(app);
        return app;
    }

    private async Task StopAsync(WebApplication api)
    {
        _apis.Remove(api);
        await api.StopAsync();
        await api.DisposeAsync();
    }

    private async Task<(Guid Id, string Secret)> SubscribeAsync(Uri url, string[] events, Guid? assessment)
    {
        using var admin = server.Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/webhooks", new { url, events, assessment_id = assessment, description = "tests" }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        _subscriptions.Add(id);
        return (id, body.GetProperty("secret").GetString()!);
    }

    private async Task<List<JsonElement>> DeliveriesAsync(Guid subscription)
    {
        using var admin = server.Admin();
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhooks/{subscription}/deliveries?limit=200");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>Polls the delivery log until the subscription's only delivery satisfies <paramref name="done"/>.</summary>
    private async Task<JsonElement> DeliveryWhenAsync(Guid subscription, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var deliveries = await DeliveriesAsync(subscription);
            if (deliveries is [var only] && done(only))
            {
                return only;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the delivery never got there: {string.Join(" | ", deliveries)}");
            await Task.Delay(100);
        }
    }

    private async Task<JsonElement> LogAsync(Guid subscription, Guid delivery)
    {
        using var admin = server.Admin();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhooks/{subscription}/deliveries/{delivery}");
    }

    /// <summary>An assessment of one level whose sessions end after <paramref name="minutes"/>.</summary>
    private Task<Guid> TimedAssessmentAsync(int minutes) => server.CreateAssessmentAsync(new
    {
        name = $"{minutes} min " + Guid.NewGuid().ToString("N")[..6],
        levels = new[] { new { pack = "lab-screen", challenge = "causal-attention" } },
        time_limit_minutes = minutes,
    });

    private static void Verify(string secret, ReceivedWebhook webhook) => new StandardWebhook(secret).Verify(webhook.Body, webhook.Headers);

    [PostgresFact]
    public async Task Delivery_is_signed_per_Standard_Webhooks_with_the_secret_returned_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, secret) = await SubscribeAsync(receiver.Url, ["session.started"], assessment);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        using (var admin = server.Admin())
        {
            var shown = await admin.GetStringAsync($"/api/admin/webhooks/{subscription}");
            Assert.DoesNotContain(secret["whsec_".Length..], shown, StringComparison.Ordinal);
        }
        await DispatcherAsync();

        var (_, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        var webhook = await receiver.WaitForAsync("session.started", sessionId);

        Verify(secret, webhook);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(webhook.Body.Replace("Ada", "Eve", StringComparison.Ordinal), webhook.Headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(BugHunt.Core.Webhooks.WebhookStore.NewSecret()).Verify(webhook.Body, webhook.Headers));
        var delivery = await DeliveryWhenAsync(subscription, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(delivery.GetProperty("webhook_id").GetString(), webhook.Id);
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(204, delivery.GetProperty("last_status").GetInt32());
        Assert.True(DateTime.Parse(webhook.Json.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTime.MinValue);

        // A rotated secret signs what comes next; the old one no longer verifies it.
        string rotated;
        using (var admin = server.Admin())
        {
            var response = await admin.PostAsync($"/api/admin/webhooks/{subscription}/secret", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            rotated = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        }
        var (_, second) = await server.OpenAsync(await server.InviteAsync(assessment));
        var next = await receiver.WaitForAsync("session.started", second);
        Verify(rotated, next);
        Assert.Throws<WebhookVerificationException>(() => Verify(secret, next));
    }

    [PostgresFact]
    public async Task Session_started_and_finished_by_the_candidate_arrive_with_the_report_s_names()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (_, secret) = await SubscribeAsync(receiver.Url, ["session.started", "session.finished"], assessment);
        await DispatcherAsync();

        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment, new { candidate = "Grace", email = "grace@example.com" }));
        using (candidate)
        {
            Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsync("/api/session/finish", null)).StatusCode);
        }

        var started = await receiver.WaitForAsync("session.started", sessionId);
        Verify(secret, started);
        Assert.Equal(assessment, started.Data.GetProperty("assessment_id").GetGuid());
        Assert.Equal("Grace", started.Data.GetProperty("candidate").GetString());
        Assert.Equal("grace@example.com", started.Data.GetProperty("email").GetString());
        Assert.True(started.Data.GetProperty("deadline").GetDateTime() > started.Data.GetProperty("started_at").GetDateTime());
        Assert.Equal($"/api/admin/sessions/{sessionId}/report", started.Data.GetProperty("links").GetProperty("report").GetString());
        using (var admin = server.Admin())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(started.Data.GetProperty("links").GetProperty("report").GetString())).StatusCode);
        }

        var finished = await receiver.WaitForAsync("session.finished", sessionId);
        Verify(secret, finished);
        Assert.Equal("candidate", finished.Data.GetProperty("reason").GetString());
        Assert.True(finished.Data.GetProperty("finished_at").GetDateTime() < finished.Data.GetProperty("deadline").GetDateTime());
        Assert.NotEqual(started.Id, finished.Id);
    }

    [PostgresFact]
    public async Task Deadline_passing_unattended_sends_session_finished_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await TimedAssessmentAsync(minutes: 1);
        var (subscription, secret) = await SubscribeAsync(receiver.Url, ["session.finished"], assessment);
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        await DispatcherAsync();

        // Nobody calls the API: the clock alone ends the session.
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        var finished = await receiver.WaitForAsync("session.finished", sessionId);
        Verify(secret, finished);
        Assert.Equal("time_over", finished.Data.GetProperty("reason").GetString());
        Assert.Equal(finished.Data.GetProperty("deadline").GetDateTime(), finished.Data.GetProperty("finished_at").GetDateTime());

        // The candidate's late finish, and later sweeps, add no second one.
        using (candidate)
        {
            Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsync("/api/session/finish", null)).StatusCode);
        }
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        Assert.Single(await DeliveriesAsync(subscription));
        Assert.Single(receiver.Received, r => r.Type == "session.finished" && r.Data.GetProperty("session_id").GetGuid() == sessionId);
    }

    [PostgresFact]
    public async Task Integrity_flags_arrive_as_session_flagged_for_the_assessment_and_for_a_global_subscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var everything = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (_, secret) = await SubscribeAsync(receiver.Url, ["session.flagged"], assessment);
        var (_, globalSecret) = await SubscribeAsync(everything.Url, ["session.flagged"], null);
        await DispatcherAsync();

        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        using (candidate)
        {
            async Task Send(object e) => Assert.Equal(HttpStatusCode.NoContent, (await candidate.PostAsJsonAsync("/api/session/events", e)).StatusCode);
            await Send(new { kind = "paste", size = 20, level = 1 });
            await Send(new { kind = "paste", size = 900, level = 1 });
            await Send(new { kind = "tab_hidden", level = 1 });
            server.Clock.Advance(TimeSpan.FromSeconds(90));
            await Send(new { kind = "tab_visible", level = 1 });
        }

        var paste = await receiver.WaitForAsync(r => r.Type == "session.flagged" && r.Data.GetProperty("flag").GetString() == "large_paste");
        Verify(secret, paste);
        Assert.Equal(sessionId, paste.Data.GetProperty("session_id").GetGuid());
        Assert.StartsWith("large paste: 900 characters", paste.Data.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, paste.Data.GetProperty("level").GetInt32());
        var absence = await receiver.WaitForAsync(r => r.Type == "session.flagged" && r.Data.GetProperty("flag").GetString() == "long_absence");
        Assert.StartsWith("long absence: 90 s", absence.Data.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var global = await everything.WaitForAsync(r => r.Type == "session.flagged" && r.Data.GetProperty("session_id").GetGuid() == sessionId
            && r.Data.GetProperty("flag").GetString() == "large_paste");
        Verify(globalSecret, global);
        Assert.Equal(paste.Id, global.Id);
        // The small paste raised nothing: two flags, two webhooks.
        await Task.Delay(300);
        Assert.Equal(2, receiver.Received.Count(r => r.Data.GetProperty("session_id").GetGuid() == sessionId));
    }

    [PostgresFact]
    public async Task Absence_still_open_when_the_session_ends_arrives_as_session_flagged_with_its_finish()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await TimedAssessmentAsync(minutes: 2);
        var (subscription, secret) = await SubscribeAsync(receiver.Url, ["session.flagged", "session.finished"], assessment);
        await DispatcherAsync();
        var (away, awaySession) = await server.OpenAsync(await server.InviteAsync(assessment));
        var (back, backSession) = await server.OpenAsync(await server.InviteAsync(assessment));
        using (away)
        using (back)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await away.PostAsJsonAsync("/api/session/events", new { kind = "tab_hidden", level = 1 })).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await back.PostAsJsonAsync("/api/session/events", new { kind = "tab_hidden", level = 1 })).StatusCode);
            server.Clock.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(HttpStatusCode.NoContent, (await back.PostAsJsonAsync("/api/session/events", new { kind = "tab_visible", level = 1 })).StatusCode);

            // The one who left never comes back; the deadline ends both sessions.
            server.Clock.Advance(TimeSpan.FromMinutes(3));
            var finished = await receiver.WaitForAsync("session.finished", awaySession);
            await receiver.WaitForAsync("session.finished", backSession);
            // Written with the finish, delivered beside it: it may arrive a moment later.
            var absence = await receiver.WaitForAsync(r => r.Type == "session.flagged");
            Verify(secret, absence);
            Assert.Equal(awaySession, absence.Data.GetProperty("session_id").GetGuid());
            Assert.Equal("long_absence", absence.Data.GetProperty("flag").GetString());
            Assert.EndsWith("no return recorded", absence.Data.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, absence.Data.GetProperty("level").ValueKind);
            Assert.Equal(finished.Data.GetProperty("finished_at").GetDateTime(), absence.Data.GetProperty("at").GetDateTime());
            // The same wording as the report the link leads to.
            using var admin = server.Admin();
            var report = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{awaySession}/report");
            Assert.Contains(report.GetProperty("flags").EnumerateArray(), f => f.GetString() == absence.Data.GetProperty("detail").GetString());

            // The candidate's late finish adds neither a second flag nor a second finish.
            Assert.Equal(HttpStatusCode.OK, (await away.PostAsync("/api/session/finish", null)).StatusCode);
        }
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        Assert.Equal(3, (await DeliveriesAsync(subscription)).Count);
        Assert.Single(receiver.Received, r => r.Type == "session.flagged");
    }

    [PostgresFact]
    public async Task Finish_by_a_candidate_whose_window_lost_focus_long_ago_arrives_with_the_open_absence_flag()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, _) = await SubscribeAsync(receiver.Url, ["session.flagged", "session.finished"], assessment);
        await DispatcherAsync();
        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        using (candidate)
        {
            // Another spelling of leaving (the window, not the tab), and the candidate's own finish, not the deadline.
            Assert.Equal(HttpStatusCode.NoContent, (await candidate.PostAsJsonAsync("/api/session/events", new { kind = "window_blur", level = 1 })).StatusCode);
            server.Clock.Advance(TimeSpan.FromSeconds(90));
            Assert.Equal(HttpStatusCode.OK, (await candidate.PostAsync("/api/session/finish", null)).StatusCode);
        }
        var finished = await receiver.WaitForAsync("session.finished", sessionId);
        var absence = await receiver.WaitForAsync("session.flagged", sessionId);
        Assert.Equal("candidate", finished.Data.GetProperty("reason").GetString());
        Assert.Equal("long_absence", absence.Data.GetProperty("flag").GetString());
        Assert.EndsWith("no return recorded", absence.Data.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(finished.Data.GetProperty("finished_at").GetDateTime(), absence.Data.GetProperty("at").GetDateTime());
        await Task.Delay(300);
        Assert.Equal(2, (await DeliveriesAsync(subscription)).Count);
    }

    [EndToEndFact]
    public async Task Submission_graded_arrives_after_real_grading_with_verdict_and_score_and_nothing_hidden()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (_, secret) = await SubscribeAsync(receiver.Url, ["submission.graded"], assessment);
        await DispatcherAsync();

        var (candidate, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        using (candidate)
        {
            var wrong = await server.SubmitAsync(candidate, server.Attention.StarterFiles);
            await BugHuntServer.VerdictAsync(candidate, wrong);
            var right = await server.SubmitAsync(candidate, server.Attention.ReferenceFiles);
            await BugHuntServer.VerdictAsync(candidate, right);

            var failed = await receiver.WaitForAsync(r => r.Type == "submission.graded" && r.Data.GetProperty("submission_id").GetGuid() == wrong);
            Verify(secret, failed);
            Assert.Equal("wrong_answer", failed.Data.GetProperty("verdict").GetString());
            Assert.False(failed.Data.GetProperty("level_passed").GetBoolean());
            Assert.True(failed.Data.GetProperty("score").GetDouble() < 1);

            var accepted = await receiver.WaitForAsync(r => r.Type == "submission.graded" && r.Data.GetProperty("submission_id").GetGuid() == right);
            Verify(secret, accepted);
            Assert.Equal("accepted", accepted.Data.GetProperty("verdict").GetString());
            Assert.Equal(1.0, accepted.Data.GetProperty("score").GetDouble());
            Assert.True(accepted.Data.GetProperty("level_passed").GetBoolean());
            Assert.Equal(sessionId, accepted.Data.GetProperty("session_id").GetGuid());
            Assert.Equal(assessment, accepted.Data.GetProperty("assessment_id").GetGuid());
            Assert.Equal(1, accepted.Data.GetProperty("level").GetInt32());

            // Staff-level facts only: exactly these fields, no files, tests, messages or seeds.
            Assert.Equal(
                ["assessment_id", "candidate", "email", "graded_at", "level", "level_passed", "links", "score", "session_id", "submission_id", "verdict"],
                accepted.Data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var (_, code) in server.Attention.ReferenceFiles)
            {
                Assert.DoesNotContain(JsonEncodedText.Encode(code).ToString()[..Math.Min(80, code.Length)], accepted.Body, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("seed", failed.Body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [PostgresFact]
    public async Task Events_go_only_to_subscriptions_of_their_assessment_and_type_and_nothing_is_stored_for_none()
    {
        var url = new Uri("http://127.0.0.1:9/unused");
        var a = await server.CreateAssessmentAsync();
        var b = await server.CreateAssessmentAsync();
        var (forA, _) = await SubscribeAsync(url, ["session.started"], a);
        var (forB, _) = await SubscribeAsync(url, ["session.started"], b);
        var (finishOfA, _) = await SubscribeAsync(url, ["session.finished"], a);

        var (_, sessionId) = await server.OpenAsync(await server.InviteAsync(a));

        var delivered = Assert.Single(await DeliveriesAsync(forA));
        Assert.Equal("session.started", delivered.GetProperty("event_type").GetString());
        Assert.Equal("pending", delivered.GetProperty("status").GetString());
        Assert.Empty(await DeliveriesAsync(forB));
        Assert.Empty(await DeliveriesAsync(finishOfA));

        // An assessment nobody subscribed to: its session's start stores no event at all.
        var (_, unwatched) = await server.OpenAsync(await server.InviteAsync(await server.CreateAssessmentAsync()));
        await using var connection = await server.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM webhook_events WHERE (payload::jsonb -> 'data' ->> 'session_id')::uuid = @unwatched", new { unwatched }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM webhook_events WHERE (payload::jsonb -> 'data' ->> 'session_id')::uuid = @sessionId", new { sessionId }));
    }

    [PostgresFact]
    public async Task Receiver_that_is_down_then_up_gets_the_event_after_retries_and_the_log_shows_the_failures()
    {
        var receiver = WebhookReceiver.Down();
        await using var _ = receiver;
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, secret) = await SubscribeAsync(receiver.Url, ["session.started"], assessment);
        await DispatcherAsync(("BUGHUNT_WEBHOOK_MAX_ATTEMPTS", "50"));

        var (_, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        await DeliveryWhenAsync(subscription, d => d.GetProperty("attempts").GetInt32() >= 2);
        var failing = (await DeliveriesAsync(subscription))[0];
        Assert.Equal("pending", failing.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("last_status").ValueKind);
        Assert.Contains("refused", failing.GetProperty("last_error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.String, failing.GetProperty("next_attempt_at").ValueKind);

        await receiver.UpAsync();
        var webhook = await receiver.WaitForAsync("session.started", sessionId);
        Verify(secret, webhook);
        var delivered = await DeliveryWhenAsync(subscription, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(JsonValueKind.Null, delivered.GetProperty("next_attempt_at").ValueKind);
        var attempts = (await LogAsync(subscription, delivered.GetProperty("id").GetGuid())).GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(delivered.GetProperty("attempts").GetInt32(), attempts.Count);
        Assert.All(attempts[..^1], a => Assert.Equal(JsonValueKind.Null, a.GetProperty("status_code").ValueKind));
        Assert.All(attempts[..^1], a => Assert.False(string.IsNullOrEmpty(a.GetProperty("error").GetString())));
        Assert.Equal(204, attempts[^1].GetProperty("status_code").GetInt32());
        Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(a => a.GetProperty("number").GetInt32()));
        Assert.Single(receiver.Received);
    }

    [PostgresFact]
    public async Task Delivery_fails_after_max_attempts_then_manual_redelivery_succeeds_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = HttpStatusCode.ServiceUnavailable;
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, secret) = await SubscribeAsync(receiver.Url, ["session.started"], assessment);
        await DispatcherAsync(("BUGHUNT_WEBHOOK_MAX_ATTEMPTS", "3"));

        var (_, sessionId) = await server.OpenAsync(await server.InviteAsync(assessment));
        var failed = await DeliveryWhenAsync(subscription, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(3, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(503, failed.GetProperty("last_status").GetInt32());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("next_attempt_at").ValueKind);
        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());

        receiver.Status = HttpStatusCode.OK;
        var id = failed.GetProperty("id").GetGuid();
        using (var admin = server.Admin())
        {
            var queued = await admin.PostAsync($"/api/admin/webhooks/{subscription}/deliveries/{id}/redeliver", null);
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
            Assert.Equal("pending", (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?target=webhook:{subscription}&action=webhook.redeliver");
            Assert.Single(audit.GetProperty("items").EnumerateArray());
        }
        var delivered = await DeliveryWhenAsync(subscription, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(4, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivered.GetProperty("last_status").GetInt32());
        Assert.Equal(4, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
        Assert.Single(receiver.Received.Select(r => r.Body).Distinct());
        Verify(secret, receiver.Received.Last());
        Assert.Equal(sessionId, receiver.Received.Last().Data.GetProperty("session_id").GetGuid());
        var attempts = (await LogAsync(subscription, id)).GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32());
        Assert.Equal([503, 503, 503, 200], attempts);
    }

    [PostgresTheory]
    [InlineData("seconds")]
    [InlineData("date")]
    public async Task Receiver_asking_to_retry_after_two_seconds_is_not_tried_sooner(string spelling)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = HttpStatusCode.TooManyRequests;
        // As delay-seconds, or as an HTTP date on the receiver's own (wall) clock: whole seconds,
        // so 4 s ahead is at least 3 s ahead by the time it is read.
        receiver.RetryAfter = spelling == "seconds" ? "2" : DateTimeOffset.UtcNow.AddSeconds(4).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        // The fixture's clock runs ahead of the wall clock after other tests moved it: a date is
        // still read against the wall clock, as the receiver wrote it.
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, _) = await SubscribeAsync(receiver.Url, ["session.started"], assessment);
        // Without the header the retry would come after about 0.2 s (the fixture's base delay); the
        // cap is 5 s here, so it does not cut the 2 s short.
        await DispatcherAsync(("BUGHUNT_WEBHOOK_MAX_ATTEMPTS", "3"), ("BUGHUNT_WEBHOOK_RETRY_MAX_SECONDS", "5"));

        await server.OpenAsync(await server.InviteAsync(assessment));
        // The first attempt's outcome recorded (while it is in flight, next_attempt_at is still the first one's).
        var first = await DeliveryWhenAsync(subscription, d => d.GetProperty("last_status").ValueKind == JsonValueKind.Number);
        receiver.Status = HttpStatusCode.NoContent;
        var delivered = await DeliveryWhenAsync(subscription, d => d.GetProperty("status").GetString() == "delivered");
        var attempts = (await LogAsync(subscription, delivered.GetProperty("id").GetGuid())).GetProperty("attempts").EnumerateArray().ToList();

        Assert.Equal(2, attempts.Count);
        Assert.Equal(429, attempts[0].GetProperty("status_code").GetInt32());
        var gap = attempts[1].GetProperty("started_at").GetDateTime() - attempts[0].GetProperty("started_at").GetDateTime();
        Assert.True(gap >= TimeSpan.FromSeconds(1.9), $"the retry came {gap.TotalSeconds:0.00} s after the first attempt, though the receiver asked for 2 s");
        Assert.True(first.GetProperty("next_attempt_at").GetDateTime() - attempts[0].GetProperty("started_at").GetDateTime() >= TimeSpan.FromSeconds(1.9));
    }

    [PostgresFact]
    public async Task Redirects_are_not_followed_and_a_slow_receiver_times_out_and_the_log_keeps_only_1_KiB_of_a_body()
    {
        await using var redirecting = await WebhookReceiver.StartAsync();
        redirecting.Status = HttpStatusCode.TemporaryRedirect;
        redirecting.ResponseBody = new string('r', 5000);
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(5);
        var assessment = await server.CreateAssessmentAsync();
        var (moved, _) = await SubscribeAsync(redirecting.Url, ["session.started"], assessment);
        var (late, _) = await SubscribeAsync(slow.Url, ["session.started"], assessment);
        await DispatcherAsync(("BUGHUNT_WEBHOOK_MAX_ATTEMPTS", "1"), ("BUGHUNT_WEBHOOK_TIMEOUT_SECONDS", "0.5"));

        await server.OpenAsync(await server.InviteAsync(assessment));

        var redirected = await DeliveryWhenAsync(moved, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(307, redirected.GetProperty("last_status").GetInt32());
        Assert.Contains("not followed", redirected.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Single(redirecting.Received);
        var attempt = (await LogAsync(moved, redirected.GetProperty("id").GetGuid())).GetProperty("attempts")[0];
        Assert.Equal(new string('r', 1024), attempt.GetProperty("response_body").GetString());

        var timedOut = await DeliveryWhenAsync(late, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(JsonValueKind.Null, timedOut.GetProperty("last_status").ValueKind);
        Assert.Equal("no response within 0.5 s", timedOut.GetProperty("last_error").GetString());
        var slowAttempt = (await LogAsync(late, timedOut.GetProperty("id").GetGuid())).GetProperty("attempts")[0];
        Assert.InRange(slowAttempt.GetProperty("duration_ms").GetDouble(), 400, 4000);
    }

    [PostgresFact]
    public async Task Event_written_while_no_dispatcher_runs_is_delivered_by_the_next_API_instance()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, secret) = await SubscribeAsync(receiver.Url, ["session.started"], assessment);
        var first = await DispatcherAsync();
        var (_, before) = await server.OpenAsync(await server.InviteAsync(assessment));
        await receiver.WaitForAsync("session.started", before);
        await StopAsync(first);

        // The fixture's API takes the candidate; no API that dispatches is running.
        var (_, during) = await server.OpenAsync(await server.InviteAsync(assessment));
        await using (var connection = await server.Db.OpenConnectionAsync())
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("""
                SELECT count(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE d.subscription_id = @subscription AND d.status = 'pending' AND d.attempts = 0
                  AND (e.payload::jsonb -> 'data' ->> 'session_id')::uuid = @during
                """, new { subscription, during }));
        }

        await DispatcherAsync();
        var webhook = await receiver.WaitForAsync("session.started", during);
        Verify(secret, webhook);
        Assert.Equal(2, receiver.Received.Count);
    }

    [PostgresFact]
    public async Task Two_dispatching_API_instances_never_make_the_same_attempt_twice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var assessment = await server.CreateAssessmentAsync();
        var (subscription, _) = await SubscribeAsync(receiver.Url, ["session.flagged"], assessment);
        var (candidate, _) = await server.OpenAsync(await server.InviteAsync(assessment));
        const int pastes = 30;
        using (candidate)
        {
            for (var i = 0; i < pastes; i++)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await candidate.PostAsJsonAsync("/api/session/events", new { kind = "paste", size = 300 + i })).StatusCode);
            }
        }

        await Task.WhenAll(DispatcherAsync(), DispatcherAsync());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (receiver.Received.Count < pastes && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Task.Delay(500);
        Assert.Equal(pastes, receiver.Received.Count);
        Assert.Equal(pastes, receiver.Received.Select(r => r.Id).Distinct().Count());
        var deliveries = await DeliveriesAsync(subscription);
        Assert.Equal(pastes, deliveries.Count);
        // Each event reached the receiver once (above) and is delivered. An attempt that failed before
        // reaching it (a pooled connection the receiver had closed) is retried, and counted, once.
        Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
    }

    public static TheoryData<string, object> InvalidSubscriptions() => new()
    {
        { "url", new { events = new[] { "session.started" } } },
        { "url", new { url = "/relative/path", events = new[] { "session.started" } } },
        { "url", new { url = "ftp://127.0.0.1/hook", events = new[] { "session.started" } } },
        { "url", new { url = "http://user:pass@127.0.0.1/hook", events = new[] { "session.started" } } },
        { "events", new { url = "http://127.0.0.1/hook", events = Array.Empty<string>() } },
        { "events", new { url = "http://127.0.0.1/hook", events = new[] { "session.started", "session.exploded" } } },
        { "events", new { url = "http://127.0.0.1/hook", events = new[] { "session.started", null } } },
        { "assessment_id", new { url = "http://127.0.0.1/hook", events = new[] { "session.started" }, assessment_id = Guid.NewGuid() } },
        { "description", new { url = "http://127.0.0.1/hook", events = new[] { "session.started" }, description = new string('d', 501) } },
    };

    [PostgresTheory]
    [MemberData(nameof(InvalidSubscriptions))]
    public async Task Invalid_subscription_is_refused_with_400_naming_the_field_and_stores_nothing(string field, object body)
    {
        await using var connection = await server.Db.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_subscriptions");
        using var admin = server.Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/webhooks", body, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.StartsWith(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM webhook_subscriptions"));
    }

    [PostgresFact]
    public async Task Unknown_ids_are_404_and_bad_pages_are_400()
    {
        using var admin = server.Admin();
        var missing = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/admin/webhooks/{missing}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/admin/webhooks/{missing}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/admin/webhooks/{missing}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/admin/webhooks/{missing}/secret", null)).StatusCode);
        var (subscription, _) = await SubscribeAsync(new Uri("http://127.0.0.1:9/unused"), ["session.started"], null);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/admin/webhooks/{subscription}/deliveries/{missing}/redeliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/admin/webhooks/{subscription}/deliveries/{missing}")).StatusCode);

        foreach (var (query, field) in new[] { ("cursor=not-a-cursor", "cursor"), ("limit=0", "limit"), ("limit=201", "limit") })
        {
            var response = await admin.GetAsync($"/api/admin/webhooks?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        }
    }

    [PostgresFact]
    public async Task Subscriptions_list_in_pages_newest_first_and_a_deleted_one_stays_listed_as_disabled()
    {
        var url = new Uri("http://127.0.0.1:9/unused");
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await SubscribeAsync(url, ["session.finished"], null)).Id);
        }
        using var admin = server.Admin();
        // Other tests' subscriptions are listed too (some with a test clock further ahead): walk every page.
        var listed = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhooks?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var items = page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(items.Count, 1, 2);
            listed.AddRange(items);
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal([created[2], created[1], created[0]], listed.Where(created.Contains));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/webhooks/{created[1]}")).StatusCode);
        var deleted = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhooks/{created[1]}");
        Assert.Equal(JsonValueKind.String, deleted.GetProperty("disabled_at").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/admin/webhooks/{created[1]}/secret", null)).StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?target=webhook:{created[1]}");
        Assert.Equal(["webhook.delete", "webhook.create"], audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [PostgresFact]
    public async Task Recruiters_manage_webhooks_and_proctors_and_authors_may_not()
    {
        var body = new { url = "http://127.0.0.1:9/unused", events = new[] { "session.started" } };
        var (_, recruiterKey) = await server.NewStaffAsync(StaffRole.Recruiter);
        using (var recruiter = server.Staff(recruiterKey))
        {
            var response = await recruiter.PostAsJsonAsync("/api/admin/webhooks", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            _subscriptions.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        foreach (var role in new[] { StaffRole.Proctor, StaffRole.Author })
        {
            var (_, key) = await server.NewStaffAsync(role);
            using var other = server.Staff(key);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/admin/webhooks", body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/admin/webhooks")).StatusCode);
        }
    }
}
