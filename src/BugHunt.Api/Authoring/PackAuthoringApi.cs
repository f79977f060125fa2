using System.Net.ServerSentEvents;
using BugHunt.Api.Admin;
using BugHunt.Api.Hosting;
using BugHunt.Core.Authoring;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Authoring;

public sealed record ValidationQueued(Guid Id, string Pack, string Title, int Files, bool Mutants, string Status, string StatusUrl, string EventsUrl);

public sealed record ValidationView(PackValidation Validation, IReadOnlyList<ValidationEvent> Events);

public sealed record PublishedVersion(string Challenge, Guid VersionId, string ContentHash, bool New);

public sealed record Published(string Pack, Guid Validation, string PublishedBy, DateTime PublishedAt, IReadOnlyList<PublishedVersion> Versions);

public sealed record VariantView(string Id, string? Title, string Summary, string? FaultClass, string? Mirrors, string Diff, IReadOnlyDictionary<string, string> Files);

/// <summary>A challenge version as its author wrote it: nothing hidden, for staff with the author role only.</summary>
public sealed record AuthorChallengeView(
    Guid VersionId,
    string ContentHash,
    string Pack,
    string Id,
    string Title,
    int Level,
    int ExpectedSolveMinutes,
    IReadOnlyList<string>? Topics,
    string Statement,
    IReadOnlyList<string> Editable,
    SandboxLimits Limits,
    ScoringMode Scoring,
    IReadOnlyDictionary<string, string> Starter,
    IReadOnlyDictionary<string, string> Reference,
    IReadOnlyList<VariantView> Bugs,
    IReadOnlyList<VariantView> WrongFixes,
    IReadOnlyList<ProbeSource> Probes,
    IReadOnlyList<TestSpec> Tests,
    IReadOnlyList<Hint> Hints);

/// <summary>
/// Authors upload packs as archives; a grader validates them through the sandbox (the API never runs
/// pack code); a passing validation is published as new versions.
/// </summary>
public static class PackAuthoringApi
{
    public const string UploadAction = "pack.upload";

    // An upload is held in memory while it is checked (at most 50 MiB packed and 50 MiB unpacked):
    // a few at a time, so a burst of uploads cannot exhaust the API's memory.
    private static readonly SemaphoreSlim Uploads = new(2, 2);
    public const string PublishAction = "pack.publish";

    public static void MapPackAuthoring(this RouteGroupBuilder admin)
    {
        admin.MapPost("/packs", UploadAsync).RequireStaff(StaffRole.Author)
            .WithName("UploadPack").ProducesProblem(429).WithSummary("Upload a pack as a .tar.gz or .zip body (at most 50 MiB, 2,000 entries, 50 MiB unpacked); 202 with the id of its validation, which a grader runs. ?mutants=false skips machine mutants (such a validation cannot be published).")
            .Accepts<byte[]>("application/gzip", "application/zip", "application/octet-stream");
        admin.MapGet("/packs", ListPacksAsync)
            .RequireStaff(StaffRole.Author).WithName("ListPacks").WithSummary("Imported packs by id with their number of challenges, versions and templates, and who published each; paged (?limit=, ?cursor=).");
        admin.MapGet("/packs/validations", ListValidationsAsync).RequireStaff(StaffRole.Author).WithName("ListPackValidations").WithSummary("Uploaded packs' validations, newest first (?pack= to filter); paged (?limit=, ?cursor=).");
        admin.MapGet("/packs/validations/{id:guid}", GetValidationAsync).RequireStaff(StaffRole.Author).WithName("GetPackValidation").WithSummary("A validation: status, progress lines and, once done, the report.");
        admin.MapGet("/packs/validations/{id:guid}/events", EventsAsync).RequireStaff(StaffRole.Author)
            .WithName("StreamPackValidation").Produces<string>(200, "text/event-stream").WithSummary("Server-Sent Events: each progress line (event 'progress', id = its number; Last-Event-ID resumes), then the validation (event 'validation') once done.");
        admin.MapPost("/packs/validations/{id:guid}/publish", PublishAsync).RequireStaff(StaffRole.Author)
            .WithName("PublishPackValidation").ProducesProblem(409).WithSummary("Import a passing validation's pack: a changed challenge becomes a new version, an unchanged one keeps its version; running sessions keep theirs.");
        admin.MapGet("/packs/{id}", GetPackAsync).RequireStaff(StaffRole.Author).WithName("GetPack").WithSummary("A pack: its challenges with every version, its templates, and who published it when.");
        admin.MapGet("/challenges/{pack}/{id}/versions/{version:guid}", ChallengeVersionAsync).RequireStaff(StaffRole.Author)
            .WithName("GetChallengeVersion").WithSummary("A challenge version in full, as its author wrote it: statement, starter, reference, bugs and wrong fixes with their diffs, probes, tests.");
    }

    private static async Task<Results<Accepted<ValidationQueued>, ProblemHttpResult>> UploadAsync(HttpContext http, PackValidationStore validations, bool? mutants, CancellationToken ct)
    {
        if (!await Uploads.WaitAsync(TimeSpan.FromSeconds(10), ct))
        {
            http.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem("Other packs are being uploaded; try again in a few seconds.", statusCode: StatusCodes.Status429TooManyRequests, title: "Busy");
        }
        try
        {
            return await CheckAndQueueAsync(http, validations, mutants, ct);
        }
        finally
        {
            Uploads.Release();
        }
    }

    private static async Task<Results<Accepted<ValidationQueued>, ProblemHttpResult>> CheckAndQueueAsync(HttpContext http, PackValidationStore validations, bool? mutants, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = PackArchive.MaxArchiveBytes + 1;
        }
        SortedDictionary<string, string> files;
        try
        {
            files = await PackArchive.ReadAsync(http.Request.Body, ct);
        }
        catch (PackArchiveException e)
        {
            return ArchiveRefused(e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ArchiveRefused(new PackArchiveException("", $"is larger than {PackArchive.MaxArchiveBytes / (1024 * 1024)} MiB") { TooLarge = true });
        }
        ChallengePack pack;
        try
        {
            using var loaded = PackFiles.Load(files);
            pack = loaded.Pack;
        }
        catch (PackFormatException e)
        {
            return FormatRefused(e);
        }
        var id = await validations.EnqueueAsync(pack.Id, pack.Title, files, mutants ?? true, http.Staff().Name, ct);
        await http.AuditAsync(UploadAction, AuditTarget.Pack(pack.Id), new { validation = id, files = files.Count, mutants = mutants ?? true });
        var status = $"{StaffAuth.Prefix}/packs/validations/{id}";
        return TypedResults.Accepted(status, new ValidationQueued(id, pack.Id, pack.Title, files.Count, mutants ?? true, "queued", status, status + "/events"));
    }

    private static readonly PagedList Packs = new("packs", KeyPart.Text, KeyPart.Text);

    private static readonly PagedList Validations = new("pack-validations", KeyPart.Time, KeyPart.Uuid);

    private static Task<Results<Ok<PageView<PackSummary>>, ProblemHttpResult>> ListPacksAsync(HttpContext http, PackCatalog catalog, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Packs, page => catalog.ListAsync(page, ct));

    // A cursor is for one filter: the list is keyed by upload time and id, whatever the pack.
    private static Task<Results<Ok<PageView<PackValidation>>, ProblemHttpResult>> ListValidationsAsync(HttpContext http, PackValidationStore validations, string? pack, CancellationToken ct) =>
        Paging.ListAsync(http.Request, Validations, page => validations.ListAsync(pack, page, ct));

    private static async Task<Results<Ok<ValidationView>, ProblemHttpResult>> GetValidationAsync(Guid id, PackValidationStore validations, CancellationToken ct) =>
        await validations.GetAsync(id, ct) is { } v ? TypedResults.Ok(new ValidationView(v, await validations.EventsAsync(id, 0, ct))) : NoValidation(id);

    private static async Task<IResult> EventsAsync(Guid id, HttpContext http, PackValidationStore validations, CancellationToken ct)
    {
        if (await validations.GetAsync(id, ct) is null)
        {
            return NoValidation(id);
        }
        var after = int.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var seq) ? seq : 0;
        return TypedResults.ServerSentEvents(Stream(id, after, validations, ct));
    }

    private static async IAsyncEnumerable<SseItem<object>> Stream(Guid id, int after, PackValidationStore validations, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            // Read the status first: every line written before the validation was done is then read below.
            var validation = await validations.GetAsync(id, ct);
            foreach (var e in await validations.EventsAsync(id, after, ct))
            {
                after = e.Seq;
                yield return new SseItem<object>(e, "progress") { EventId = e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
            if (validation is null || validation.Status == ValidationStatus.Done)
            {
                if (validation is not null)
                {
                    yield return new SseItem<object>(validation, "validation");
                }
                yield break;
            }
            await Task.Delay(500, ct);
        }
    }

    private static async Task<Results<Ok<Published>, ProblemHttpResult>> PublishAsync(Guid id, HttpContext http, PackValidationStore validations, ChallengeStore challenges, CancellationToken ct)
    {
        var validation = await validations.GetAsync(id, ct);
        var refusal = PackValidationStore.CanPublish(validation);
        if (refusal == PublishRefusal.None && validation is { Mutants: false })
        {
            return Conflict("This validation skipped the machine mutants; upload the pack again without mutants=false to publish it.");
        }
        switch (refusal)
        {
            case PublishRefusal.NotFound:
                return NoValidation(id);
            case PublishRefusal.NotDone:
                return Conflict($"Validation {id} is still {validation!.Status.ToString().ToLowerInvariant()}; publish it once it is done and passed.");
            case PublishRefusal.Failed:
                return Conflict($"Validation {id} did not pass{(validation!.Error is { } e ? $" ({e})" : "")}: only a passing pack is published. Fix what its report names and upload it again.");
            case PublishRefusal.AlreadyPublished:
                return Conflict($"Validation {id} was published by {validation!.PublishedBy} at {validation.PublishedAt:u}.");
        }
        var files = (await validations.FilesAsync(id, ct))!;
        using var loaded = PackFiles.Load(files);
        // Import first: importing the same content twice keeps its versions, so a publish that races
        // another, or fails half-way, leaves nothing marked published that was not imported.
        var imported = await challenges.ImportAsync(loaded.Pack, CancellationToken.None, http.Staff().Name, id);
        if (!await validations.MarkPublishedAsync(id, http.Staff().Name, ct))
        {
            return Conflict($"Validation {id} was published by someone else a moment ago.");
        }
        var published = (await validations.GetAsync(id, ct))!;
        var versions = imported.Select(i => new PublishedVersion(i.ChallengeId, i.VersionId, i.ContentHash, i.IsNew)).ToList();
        await http.AuditAsync(PublishAction, AuditTarget.Pack(loaded.Pack.Id), new { validation = id, versions = versions.Select(v => new { v.Challenge, v.VersionId, v.New }) });
        return TypedResults.Ok(new Published(loaded.Pack.Id, id, published.PublishedBy!, published.PublishedAt!.Value, versions));
    }

    private static async Task<Results<Ok<PackDetail>, ProblemHttpResult>> GetPackAsync(string id, PackCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(id, ct) is { } pack ? TypedResults.Ok(pack) : TypedResults.Problem($"No pack {id}.", statusCode: 404, title: "Pack not found");

    private static async Task<Results<Ok<AuthorChallengeView>, ProblemHttpResult>> ChallengeVersionAsync(string pack, string id, Guid version, ChallengeStore challenges, CancellationToken ct)
    {
        if (await challenges.GetAsync(version, ct) is not { } v || v.Challenge.PackId != pack || v.Challenge.Id != id)
        {
            return TypedResults.Problem($"No version {version} of {pack}/{id}.", statusCode: 404, title: "Version not found");
        }
        var c = v.Challenge;
        VariantView View(Variant variant) => new(variant.Id, variant.Title, variant.Summary, variant.FaultClass, variant.Mirrors,
            string.Concat(variant.Files.Select(f => UnifiedDiff.Write(f.Key, c.ReferenceFiles[f.Key], f.Value))), variant.Files);
        return TypedResults.Ok(new AuthorChallengeView(v.Id, v.ContentHash, c.PackId, c.Id, c.Title, c.Level, c.ExpectedSolveMinutes, c.Topics, c.Statement, c.Editable,
            c.Limits, c.Scoring, c.StarterFiles, c.ReferenceFiles, [.. c.Bugs.Select(View)], [.. c.WrongFixes.Select(View)], c.Probes, c.Tests, c.Hints));
    }

    private static ProblemHttpResult ArchiveRefused(PackArchiveException e)
    {
        var problem = TypedResults.Problem(
            e.Entry.Length == 0 ? $"The archive {e.Problem}." : $"Archive entry '{e.Entry}' {e.Problem}.",
            statusCode: e.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
            title: "Archive refused",
            extensions: new Dictionary<string, object?> { ["entry"] = e.Entry });
        return problem;
    }

    private static ProblemHttpResult FormatRefused(PackFormatException e) => TypedResults.Problem(
        e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Pack not valid",
        extensions: new Dictionary<string, object?> { ["file"] = e.File, ["field"] = e.Field });

    private static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Cannot publish");

    private static ProblemHttpResult NoValidation(Guid id) => TypedResults.Problem($"No pack validation {id}.", statusCode: 404, title: "Validation not found");
}
