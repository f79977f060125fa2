using BugHunt.Api.Hosting;
using BugHunt.Api.Admin;
using BugHunt.Core.Assessments;
using BugHunt.Core.Staff;
using BugHunt.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Webhooks;

/// <param name="AssessmentId">Only this assessment's events; null (or absent) for every assessment's.</param>
public sealed record WebhookRequest(string? Url, List<string>? Events, Guid? AssessmentId, string? Description);

/// <summary>A new subscription, with the secret that signs its deliveries: shown this once.</summary>
public sealed record WebhookCreated(
    Guid Id, string Url, IReadOnlyList<string> Events, Guid? AssessmentId, string? Description, string CreatedBy, DateTime CreatedAt, string Secret);

public sealed record WebhookSecret(Guid Id, string Secret);

/// <summary>A delivery with every attempt made of it, first to last.</summary>
public sealed record WebhookDeliveryLog(WebhookDelivery Delivery, IReadOnlyList<WebhookAttempt> Attempts);

/// <summary>
/// Staff subscribe receivers to BugHunt's events. Recruiters manage them (they build the
/// assessments and own the hiring pipeline the events feed), and admins always may: the payloads
/// carry candidates' names and scores, which proctors and authors do not export.
/// </summary>
public static class WebhookAdminApi
{
    public const int MaxUrlLength = 2000;

    public const int MaxDescriptionLength = 500;

    public static void MapWebhooks(this RouteGroupBuilder admin)
    {
        admin.MapPost("/webhooks", CreateAsync).RequireStaff(StaffRole.Recruiter).WithName("CreateWebhook")
            .WithSummary($"Subscribe a URL to events ({string.Join(", ", WebhookEvents.All)}) of one assessment or all; the response holds the signing secret, shown once.");
        admin.MapGet("/webhooks", ListAsync).RequireStaff(StaffRole.Recruiter).WithName("ListWebhooks").WithSummary("Subscriptions, newest first (?limit=1..200&cursor=), disabled ones included.");
        admin.MapGet("/webhooks/{id:guid}", GetAsync).RequireStaff(StaffRole.Recruiter).WithName("GetWebhook").WithSummary("A subscription (without its secret).");
        admin.MapDelete("/webhooks/{id:guid}", DeleteAsync).RequireStaff(StaffRole.Recruiter).WithName("DeleteWebhook")
            .WithSummary("Disable a subscription: no more events or attempts; it and its delivery log stay readable.");
        admin.MapPost("/webhooks/{id:guid}/secret", RotateAsync).RequireStaff(StaffRole.Recruiter).WithName("RotateWebhookSecret").ProducesProblem(409)
            .WithSummary("Replace the signing secret; the new one signs every attempt from now on and is shown once.");
        admin.MapGet("/webhooks/{id:guid}/deliveries", DeliveriesAsync).RequireStaff(StaffRole.Recruiter).WithName("ListWebhookDeliveries")
            .WithSummary("A subscription's deliveries, newest first (?limit=1..200&cursor=): status, attempts, last response and next attempt.");
        admin.MapGet("/webhooks/{id:guid}/deliveries/{delivery:guid}", DeliveryAsync).RequireStaff(StaffRole.Recruiter).WithName("GetWebhookDelivery")
            .WithSummary("One delivery with every attempt: status code, error, duration and the start of the response body.");
        admin.MapPost("/webhooks/{id:guid}/deliveries/{delivery:guid}/redeliver", RedeliverAsync).RequireStaff(StaffRole.Recruiter).WithName("RedeliverWebhook").ProducesProblem(409)
            .WithSummary("Attempt a delivery again now, with the same webhook-id (a failed one gets one more attempt).");
    }

    private static async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> CreateAsync(
        WebhookRequest request, WebhookStore webhooks, AssessmentStore assessments, HttpContext http, CancellationToken ct)
    {
        if (await ValidateAsync(request, assessments, ct) is { } invalid)
        {
            return invalid;
        }
        var events = request.Events!.Distinct(StringComparer.Ordinal).ToList();
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        // Stored as parsed: the dispatcher sends to exactly the URL that was validated.
        var url = new Uri(request.Url!, UriKind.Absolute).AbsoluteUri;
        var (s, secret) = await webhooks.CreateAsync(new NewWebhookSubscription(url, events, request.AssessmentId, description, http.Staff().Name), ct);
        await http.AuditAsync(AuditActions.WebhookCreate, AuditTarget.Webhook(s.Id), new { s.Url, s.Events, s.AssessmentId });
        return TypedResults.Created($"{StaffAuth.Prefix}/webhooks/{s.Id}",
            new WebhookCreated(s.Id, s.Url, s.Events, s.AssessmentId, s.Description, s.CreatedBy, s.CreatedAt, secret));
    }

    /// <summary>The first field of the request that is not valid, as a 400 naming it; null when all are.</summary>
    private static async Task<ProblemHttpResult?> ValidateAsync(WebhookRequest request, AssessmentStore assessments, CancellationToken ct)
    {
        if (UrlProblem(request.Url) is { } url)
        {
            return Invalid("url", url);
        }
        if (request.Events is not { Count: > 0 })
        {
            return Invalid("events", $"events must list at least one of: {string.Join(", ", WebhookEvents.All)}.");
        }
        if (request.Events.Where(e => e is null || !WebhookEvents.All.Contains(e)).Select(e => e is null ? "null" : $"'{e}'").ToList() is [_, ..] unknown)
        {
            return Invalid("events", $"events: {string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not an event" : "are not events")}; use {string.Join(", ", WebhookEvents.All)}.");
        }
        if (request.AssessmentId is { } assessment && await assessments.GetAsync(assessment, ct) is null)
        {
            return Invalid("assessment_id", $"assessment_id: there is no assessment {assessment}. Leave it out (or null) to subscribe to every assessment.");
        }
        if (request.Description is { Length: > MaxDescriptionLength })
        {
            return Invalid("description", $"description may have at most {MaxDescriptionLength} characters.");
        }
        return null;
    }

    /// <summary>
    /// Why a receiver URL is refused, or null. Any absolute http(s) URL is accepted: restricting
    /// where webhooks may go is the operator's egress policy (docs/operations.md), not a guess here.
    /// </summary>
    internal static string? UrlProblem(string? url) =>
        string.IsNullOrWhiteSpace(url) ? "url is required: the absolute http or https URL that receives the events."
        : url.Length > MaxUrlLength ? $"url may have at most {MaxUrlLength} characters."
        : !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            ? $"url must be an absolute http or https URL such as https://hooks.example.com/bughunt; '{url}' is not."
        : uri.UserInfo.Length > 0 ? "url must not carry a user name or password: receivers check the signature instead."
        : uri.Fragment.Length > 0 ? "url must not have a #fragment: it is never sent to the receiver."
        : null;

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: 400, title: "Webhook not valid", extensions: new Dictionary<string, object?> { ["field"] = field });

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem($"No webhook subscription {id}.", statusCode: 404, title: "Webhook not found");

    private static readonly PagedList Subscriptions = new("webhooks", KeyPart.Time, KeyPart.Uuid);

    private static readonly PagedList Deliveries = new("webhook-deliveries", KeyPart.Time, KeyPart.Uuid);

    private static Task<Results<Ok<PageView<WebhookSubscription>>, ProblemHttpResult>> ListAsync(HttpContext http, WebhookStore webhooks, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Subscriptions, page => webhooks.ListAsync(page, ct));

    private static async Task<Results<Ok<WebhookSubscription>, ProblemHttpResult>> GetAsync(Guid id, WebhookStore webhooks, CancellationToken ct) =>
        await webhooks.GetAsync(id, ct) is { } s ? TypedResults.Ok(s) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, WebhookStore webhooks, HttpContext http, CancellationToken ct)
    {
        if (await webhooks.DisableAsync(id, ct) is not { } disabled)
        {
            return NotFound(id);
        }
        await http.AuditAsync(AuditActions.WebhookDelete, AuditTarget.Webhook(id), new { disabled.Url });
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<WebhookSecret>, ProblemHttpResult>> RotateAsync(Guid id, WebhookStore webhooks, HttpContext http, CancellationToken ct)
    {
        if (await webhooks.RotateSecretAsync(id, ct) is not { } secret)
        {
            return await webhooks.GetAsync(id, ct) is null ? NotFound(id)
                : TypedResults.Problem("This subscription is deleted; create a new one instead.", statusCode: 409, title: "Webhook disabled");
        }
        await http.AuditAsync(AuditActions.WebhookRotateSecret, AuditTarget.Webhook(id));
        return TypedResults.Ok(new WebhookSecret(id, secret));
    }

    private static async Task<Results<Ok<PageView<WebhookDelivery>>, ProblemHttpResult>> DeliveriesAsync(Guid id, HttpContext http, WebhookStore webhooks, CancellationToken ct)
    {
        var (page, problem) = Paging.Read(http.Request, Deliveries);
        if (page is null)
        {
            return problem!;
        }
        return await webhooks.GetAsync(id, ct) is null ? NotFound(id) : TypedResults.Ok(Paging.View(await webhooks.DeliveriesAsync(id, page, ct), Deliveries));
    }

    private static async Task<Results<Ok<WebhookDeliveryLog>, ProblemHttpResult>> DeliveryAsync(Guid id, Guid delivery, WebhookStore webhooks, CancellationToken ct) =>
        await webhooks.DeliveryAsync(id, delivery, ct) is { } d ? TypedResults.Ok(new WebhookDeliveryLog(d, await webhooks.AttemptsAsync(d.Id, ct))) : NoDelivery(id, delivery);

    private static async Task<Results<Accepted<WebhookDelivery>, ProblemHttpResult>> RedeliverAsync(
        Guid id, Guid delivery, WebhookStore webhooks, WebhookDispatcher dispatcher, HttpContext http, CancellationToken ct)
    {
        var outcome = await webhooks.RedeliverAsync(id, delivery, ct);
        switch (outcome)
        {
            case RedeliverOutcome.NotFound:
                return NoDelivery(id, delivery);
            case RedeliverOutcome.Disabled:
                return TypedResults.Problem("This subscription is deleted; its deliveries are not attempted again.", statusCode: 409, title: "Webhook disabled");
            case RedeliverOutcome.InFlight:
                return TypedResults.Problem("An attempt of this delivery is under way; see its outcome in the delivery log, then redeliver if needed.",
                    statusCode: 409, title: "Attempt in progress");
        }
        await http.AuditAsync(AuditActions.WebhookRedeliver, AuditTarget.Webhook(id), new { delivery });
        dispatcher.Wake();
        var queued = (await webhooks.DeliveryAsync(id, delivery, ct))!;
        return TypedResults.Accepted($"{StaffAuth.Prefix}/webhooks/{id}/deliveries/{delivery}", queued);
    }

    private static ProblemHttpResult NoDelivery(Guid id, Guid delivery) =>
        TypedResults.Problem($"Webhook subscription {id} has no delivery {delivery}.", statusCode: 404, title: "Delivery not found");
}
