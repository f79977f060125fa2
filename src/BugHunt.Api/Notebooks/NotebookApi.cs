using System.Net.ServerSentEvents;
using BugHunt.Api.Levels;
using BugHunt.Api.Sessions;
using BugHunt.Core.Notebooks;
using BugHunt.Core.Packs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BugHunt.Api.Notebooks;

/// <summary>The level's notebook as the candidate reads it: cells with their last outputs, notes, and whether it is still the author's starting notebook.</summary>
public sealed record NotebookView(int Position, IReadOnlyList<NotebookCell> Cells, string Notes, bool Starting, int MaxCells, int PerMinute, NotebookRun? LastRun);

public sealed record NotebookSaveRequest(List<string>? Cells, string? Notes);

/// <summary>Run the cells (all, or up to <c>UpTo</c>, 1-based) on these files; files default to the level's saved code.</summary>
public sealed record NotebookRunRequest(List<string>? Cells, Dictionary<string, string>? Files, int? UpTo);

public sealed record NotebookRunAccepted(Guid Id, string Status, int Cells, string Url, string Events);

/// <summary>
/// The candidate's debugging workbench: a scratch notebook per level, run in a fresh sandbox on
/// their own files. Runs are not scored and carry nothing hidden; notes go to the reviewer.
/// </summary>
public static class NotebookApi
{
    /// <summary>Notebook runs a session may start per minute (one at a time).</summary>
    public const int RunsPerMinute = 6;

    public static void MapNotebooks(this IEndpointRouteBuilder app)
    {
        var level = app.MapGroup("/api/session/levels/{position:int}/notebook").AddEndpointFilter<SessionAuth>().WithTags("Candidate");
        level.MapGet("/", GetAsync).WithName("GetNotebook").ProducesProblem(409).WithSummary("The level's notebook: your cells with their last outputs, your notes (the author's starting notebook until you save your own), and your last run of it.");
        level.MapPut("/", SaveAsync).WithName("SaveNotebook").ProducesProblem(409).WithSummary("Save the notebook's cells, your notes for the reviewer, or both (what you leave out is kept).");
        level.MapPost("/runs", RunAsync).WithName("StartNotebookRun").ProducesProblem(409).ProducesProblem(429).WithSummary($"Run the cells (or up to up_to) on your files in a fresh sandbox; not scored. One at a time, {RunsPerMinute} a minute.");
        var runs = app.MapGroup("/api/session/notebook-runs").AddEndpointFilter<SessionAuth>().WithTags("Candidate");
        runs.MapGet("/{id:guid}", GetRunAsync).WithName("GetNotebookRun").WithSummary("A notebook run: status and each cell's result (console, value, error, displays, time).");
        runs.MapGet("/{id:guid}/events", EventsAsync)
            .WithName("StreamNotebookRun").Produces<string>(200, "text/event-stream").WithSummary("Server-Sent Events: each cell's result as it finishes (event 'cell', id = cell number), then the run (event 'run') when it is done.");
    }

    private static async Task<Results<Ok<NotebookView>, ProblemHttpResult>> GetAsync(int position, HttpContext http, LevelContext levels, NotebookStore notebooks, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        var saved = await notebooks.GetAsync(level.Session.Id, position, ct);
        var starting = saved is not { Saved: true };
        var cells = starting ? [.. (level.Challenge.Notebook ?? []).Select(code => new NotebookCell(code))] : saved!.Cells;
        return TypedResults.Ok(new NotebookView(position, cells, saved?.Notes ?? "", starting, NotebookStore.MaxCells, RunsPerMinute,
            await notebooks.LastRunAsync(level.Session.Id, position, ct)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SaveAsync(int position, NotebookSaveRequest request, HttpContext http, LevelContext levels, NotebookStore notebooks, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        if (Invalid(request.Cells, request.Notes) is { } invalid)
        {
            return invalid;
        }
        if (request.Cells is null && request.Notes is null)
        {
            return Bad("Send the cells, the notes or both: {\"cells\": [\"...\"], \"notes\": \"...\"}.");
        }
        await notebooks.SaveAsync(level.Session.Id, position, request.Cells, request.Notes, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<NotebookRunAccepted>, ProblemHttpResult>> RunAsync(int position, NotebookRunRequest request, HttpContext http, LevelContext levels, NotebookStore notebooks, CancellationToken ct)
    {
        var (level, problem) = await levels.OpenAsync(http.Session(), position, ct);
        if (level is null)
        {
            return problem!;
        }
        if (Invalid(request.Cells, null) is { } invalid)
        {
            return invalid;
        }
        var cells = request.Cells!;
        if (cells.Count == 0)
        {
            return Bad("Send at least one cell: {\"cells\": [\"var x = 1;\", \"x + 1\"]}.");
        }
        if (request.UpTo is { } upTo && (upTo < 1 || upTo > cells.Count))
        {
            return Bad($"up_to is a cell number from 1 to {cells.Count}.");
        }
        var files = request.Files ?? level.State.Files ?? new Dictionary<string, string>();
        if (request.Files is not null && LevelContext.ValidateFiles(new FilesRequest(request.Files), level.Challenge) is { } badFiles)
        {
            return badFiles;
        }
        var run = request.UpTo ?? cells.Count;
        var (outcome, id, retry) = await notebooks.EnqueueAsync(level.Session.Id, position, level.Level.ChallengeVersionId,
            SubmittedFiles.Overlay(level.Challenge.StarterFiles, files), cells, run, RunsPerMinute, ct);
        if (outcome != NotebookEnqueueOutcome.Queued)
        {
            var seconds = (int)Math.Ceiling(retry!.Value.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(outcome == NotebookEnqueueOutcome.Busy
                ? $"Your previous notebook run is still going. Wait for it, then run again (in about {seconds} s)."
                : $"At most {RunsPerMinute} notebook runs a minute. Try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many notebook runs");
        }
        var url = $"/api/session/notebook-runs/{id}";
        return TypedResults.Accepted(url, new NotebookRunAccepted(id!.Value, "queued", run, url, url + "/events"));
    }

    private static async Task<Results<Ok<NotebookRun>, ProblemHttpResult>> GetRunAsync(Guid id, HttpContext http, NotebookStore notebooks, CancellationToken ct) =>
        await notebooks.GetRunAsync(id, http.Session().Id, ct) is { } run ? TypedResults.Ok(run) : NotFound(id);

    private static async Task<IResult> EventsAsync(Guid id, HttpContext http, NotebookStore notebooks, CancellationToken ct)
    {
        var session = http.Session().Id;
        if (await notebooks.GetRunAsync(id, session, ct) is null)
        {
            return NotFound(id);
        }
        var after = int.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var seen) ? seen : 0;
        return TypedResults.ServerSentEvents(Stream(id, session, after, notebooks, ct));
    }

    private static async IAsyncEnumerable<SseItem<object>> Stream(Guid id, Guid session, int after, NotebookStore notebooks, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var sent = after;
        string? lastStatus = null;
        while (!ct.IsCancellationRequested)
        {
            var run = await notebooks.GetRunAsync(id, session, ct);
            if (run is null)
            {
                yield break;
            }
            if (run.Status.ToString() != lastStatus && run.Status != NotebookRunStatus.Done)
            {
                lastStatus = run.Status.ToString();
                yield return new SseItem<object>(new { status = lastStatus.ToLowerInvariant() }, "status");
            }
            // Cells are numbered from 1 in events, as the candidate counts them.
            foreach (var cell in run.Results.Where(c => c.Cell + 1 > sent))
            {
                sent = cell.Cell + 1;
                yield return new SseItem<object>(cell, "cell") { EventId = sent.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
            if (run.Status == NotebookRunStatus.Done)
            {
                yield return new SseItem<object>(run, "run");
                yield break;
            }
            await Task.Delay(250, ct);
        }
    }

    private static ProblemHttpResult? Invalid(List<string>? cells, string? notes)
    {
        if (cells is { Count: > NotebookStore.MaxCells })
        {
            return Bad($"A notebook has at most {NotebookStore.MaxCells} cells.");
        }
        if (cells?.FindIndex(c => c is null || c.Length > NotebookStore.MaxCellChars) is >= 0 and var i)
        {
            return Bad($"Cell {i + 1} is missing or longer than {NotebookStore.MaxCellChars} characters.");
        }
        if (notes is { Length: > NotebookStore.MaxNotesChars })
        {
            return Bad($"Notes are at most {NotebookStore.MaxNotesChars} characters.");
        }
        return null;
    }

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Notebook not valid");

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem($"No notebook run {id} in this session.", statusCode: 404, title: "Notebook run not found");
}
