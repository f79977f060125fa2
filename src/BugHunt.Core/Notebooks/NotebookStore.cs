using System.Text.Json;
using BugHunt.Core.Database;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Notebooks;

/// <summary>A cell of a level's notebook: its code and, once it ran, its last result (opaque JSON from the grader).</summary>
public sealed record NotebookCell(string Code, JsonElement? Output = null);

/// <summary>What a level's notebook holds for the candidate: the cells and the notes for the reviewer.</summary>
public sealed record LevelNotebook(IReadOnlyList<NotebookCell> Cells, string Notes, bool Saved);

public enum NotebookRunStatus
{
    Queued,
    Running,
    Done,
}

/// <summary>A notebook run: the cells sent, each cell's result as it arrived, and the run's outcome once done.</summary>
public sealed record NotebookRun(
    Guid Id,
    Guid SessionId,
    int Level,
    NotebookRunStatus Status,
    IReadOnlyList<string> Cells,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    IReadOnlyList<NotebookCellResult> Results,
    JsonElement? Outcome);

public sealed record NotebookCellResult(int Cell, DateTime At, JsonElement Result);

/// <summary>A notebook run claimed by a grader, valid while its lease holds.</summary>
public sealed record ClaimedNotebookRun(Guid Id, Guid SessionId, int Level, Guid ChallengeVersionId, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Cells, int Attempts);

public enum NotebookEnqueueOutcome
{
    Queued,
    Busy,
    RateLimited,
}

/// <summary>
/// Levels' notebooks and notes, and the queue of notebook runs. A run is the candidate's own code
/// only (their files and cells): it is never scored, carries nothing hidden, and is queued and
/// leased like a submission so that a grader that stops does not lose it.
/// </summary>
public sealed class NotebookStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const string QueueChannel = "bughunt_notebook_runs";
    public const int MaxCells = 40;
    public const int MaxCellChars = 16 * 1024;
    public const int MaxNotesChars = 20_000;
    public const int MaxAttempts = 3;

    public async Task<LevelNotebook?> GetAsync(Guid sessionId, int position, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Notebook, string? Notes, bool Found)?>(new CommandDefinition("""
            SELECT notebook::text, notes, true FROM session_levels WHERE session_id = @sessionId AND position = @position
            """, new { sessionId, position }, cancellationToken: ct));
        if (row is not { } r)
        {
            return null;
        }
        var cells = r.Notebook is null ? [] : JsonSerializer.Deserialize<List<NotebookCell>>(r.Notebook, BugHuntDatabase.Json)!;
        return new LevelNotebook(cells, r.Notes ?? "", r.Notebook is not null);
    }

    /// <summary>Saves the cells (keeping each unchanged cell's last output) and the notes, each only when given.</summary>
    public async Task SaveAsync(Guid sessionId, int position, IReadOnlyList<string>? cells, string? notes, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await SaveAsync(connection, tx, sessionId, position, cells, notes, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid sessionId, int position, IReadOnlyList<string>? cells, string? notes, CancellationToken ct)
    {
        if (cells is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE session_levels SET notes = coalesce(@notes, notes) WHERE session_id = @sessionId AND position = @position",
                new { sessionId, position, notes }, tx, cancellationToken: ct));
            return;
        }
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT notebook::text FROM session_levels WHERE session_id = @sessionId AND position = @position FOR UPDATE", new { sessionId, position }, tx, cancellationToken: ct));
        var old = current is null ? [] : JsonSerializer.Deserialize<List<NotebookCell>>(current, BugHuntDatabase.Json)!;
        var merged = cells.Select((code, i) => new NotebookCell(code, i < old.Count && old[i].Code == code ? old[i].Output : null)).ToList();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE session_levels SET notebook = @notebook::jsonb, notes = coalesce(@notes, notes) WHERE session_id = @sessionId AND position = @position
            """, new { sessionId, position, notebook = JsonSerializer.Serialize(merged, BugHuntDatabase.Json), notes }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Queues a run of the first <paramref name="runCells"/> cells of <paramref name="notebook"/> on
    /// <paramref name="files"/>, within the session's limits: one run at a time, and
    /// <paramref name="perMinute"/> a minute. The whole notebook (cells after the run's last
    /// included) is saved as the level's in the same transaction.
    /// </summary>
    public async Task<(NotebookEnqueueOutcome Outcome, Guid? Id, TimeSpan? RetryAfter)> EnqueueAsync(
        Guid sessionId, int position, Guid versionId, IReadOnlyDictionary<string, string> files, IReadOnlyList<string> notebook, int runCells, int perMinute, CancellationToken ct)
    {
        var cells = notebook.Take(runCells).ToList();
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // One session's runs are counted under its row's lock, so two racing requests cannot both pass.
        await connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM sessions WHERE id = @sessionId FOR UPDATE", new { sessionId }, tx, cancellationToken: ct));
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM notebook_runs WHERE session_id = @sessionId AND status <> 'done'", new { sessionId }, tx, cancellationToken: ct)) > 0)
        {
            return (NotebookEnqueueOutcome.Busy, null, TimeSpan.FromSeconds(2));
        }
        var recent = (await connection.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT created_at FROM notebook_runs WHERE session_id = @sessionId AND created_at > @since ORDER BY created_at",
            new { sessionId, since = now - TimeSpan.FromMinutes(1) }, tx, cancellationToken: ct))).ToList();
        if (recent.Count >= perMinute)
        {
            var retry = recent[0] + TimeSpan.FromMinutes(1) - now.UtcDateTime;
            return (NotebookEnqueueOutcome.RateLimited, null, retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
        }
        var id = Guid.CreateVersion7(now);
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO notebook_runs (id, session_id, level_position, challenge_version_id, files, cells, status, created_at)
            VALUES (@id, @sessionId, @position, @versionId, @files::jsonb, @cells::jsonb, 'queued', @now);
            NOTIFY {QueueChannel};
            """, new
        {
            id,
            sessionId,
            position,
            versionId,
            files = JsonSerializer.Serialize(files, BugHuntDatabase.Json),
            cells = JsonSerializer.Serialize(cells, BugHuntDatabase.Json),
            now,
        }, tx, cancellationToken: ct));
        await SaveAsync(connection, tx, sessionId, position, notebook, null, ct);
        await tx.CommitAsync(ct);
        return (NotebookEnqueueOutcome.Queued, id, null);
    }

    public async Task<ClaimedNotebookRun?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        // A run whose grader stopped every time is closed rather than tried forever.
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE notebook_runs SET status = 'done', finished_at = @now, lease_owner = NULL, lease_expires_at = NULL,
                result = '{"outcome": "infrastructure_failure", "reason": "the run was interrupted on every attempt; run it again", "compile": "not_reached", "diagnostics": [], "cells": [], "compile_ms": 0, "runner_ms": 0, "wall_ms": 0}'::jsonb
            WHERE status = 'running' AND lease_expires_at < @now AND attempts >= @max
            """, new { now, max = MaxAttempts }, cancellationToken: ct));
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, Guid SessionId, int Level, Guid VersionId, string Files, string Cells, int Attempts)?>(new CommandDefinition("""
            UPDATE notebook_runs r
            SET status = 'running', lease_owner = @owner, lease_expires_at = @expires, attempts = r.attempts + 1, started_at = coalesce(r.started_at, @now)
            WHERE r.id = (
                SELECT id FROM notebook_runs
                WHERE status = 'queued' OR (status = 'running' AND lease_expires_at < @now)
                ORDER BY created_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING r.id, r.session_id, r.level_position, r.challenge_version_id, r.files::text, r.cells::text, r.attempts
            """, new { owner, now, expires = now + lease }, cancellationToken: ct));
        if (row is not { } r)
        {
            return null;
        }
        // A retried run starts over: what an earlier attempt reported is dropped.
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM notebook_run_cells WHERE run_id = @Id", new { r.Id }, cancellationToken: ct));
        return new ClaimedNotebookRun(r.Id, r.SessionId, r.Level, r.VersionId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.Files, BugHuntDatabase.Json)!,
            JsonSerializer.Deserialize<List<string>>(r.Cells, BugHuntDatabase.Json)!, r.Attempts);
    }

    public async Task<bool> RenewLeaseAsync(Guid id, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notebook_runs SET lease_expires_at = @expires WHERE id = @id AND status = 'running' AND lease_owner = @owner",
            new { id, owner, expires = clock.GetUtcNow() + lease }, cancellationToken: ct)) == 1;
    }

    /// <summary>Records one cell's result as it finishes, while <paramref name="owner"/> holds the lease.</summary>
    public async Task RecordCellAsync(Guid id, string owner, int cell, object result, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO notebook_run_cells (run_id, cell, at, result)
            SELECT id, @cell, @now, @result::jsonb FROM notebook_runs WHERE id = @id AND status = 'running' AND lease_owner = @owner
            ON CONFLICT (run_id, cell) DO UPDATE SET at = excluded.at, result = excluded.result
            """, new { id, owner, cell, now = clock.GetUtcNow(), result = JsonSerializer.Serialize(result, BugHuntDatabase.Json) }, cancellationToken: ct));
    }

    /// <summary>
    /// Records the run's outcome and puts each cell's result back into the level's notebook (for a
    /// cell whose code is unchanged since), only while <paramref name="owner"/> holds the lease.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid id, string owner, object outcome, IReadOnlyList<object?> cellResults, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var run = await connection.QuerySingleOrDefaultAsync<(Guid SessionId, int Level, string Cells)?>(new CommandDefinition("""
            UPDATE notebook_runs SET status = 'done', result = @outcome::jsonb, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = 'running' AND lease_owner = @owner
            RETURNING session_id, level_position, cells::text
            """, new { id, owner, outcome = JsonSerializer.Serialize(outcome, BugHuntDatabase.Json), now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        if (run is not { } r)
        {
            return false;
        }
        // The final word on every cell, those that never ran (skipped after a failure) included.
        for (var i = 0; i < cellResults.Count; i++)
        {
            if (cellResults[i] is { } result)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO notebook_run_cells (run_id, cell, at, result) VALUES (@id, @i, @now, @result::jsonb)
                    ON CONFLICT (run_id, cell) DO UPDATE SET result = excluded.result
                    """, new { id, i, now = clock.GetUtcNow(), result = JsonSerializer.Serialize(result, BugHuntDatabase.Json) }, tx, cancellationToken: ct));
            }
        }
        var sent = JsonSerializer.Deserialize<List<string>>(r.Cells, BugHuntDatabase.Json)!;
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT notebook::text FROM session_levels WHERE session_id = @SessionId AND position = @Level FOR UPDATE", new { r.SessionId, r.Level }, tx, cancellationToken: ct));
        var cells = current is null ? [] : JsonSerializer.Deserialize<List<NotebookCell>>(current, BugHuntDatabase.Json)!;
        for (var i = 0; i < cells.Count && i < sent.Count && i < cellResults.Count; i++)
        {
            if (cells[i].Code == sent[i])
            {
                cells[i] = cells[i] with { Output = cellResults[i] is { } o ? JsonSerializer.SerializeToElement(o, BugHuntDatabase.Json) : null };
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE session_levels SET notebook = @notebook::jsonb WHERE session_id = @SessionId AND position = @Level",
            new { r.SessionId, r.Level, notebook = JsonSerializer.Serialize(cells, BugHuntDatabase.Json) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>A run of one session; another session's id reads as missing.</summary>
    public async Task<NotebookRun?> GetRunAsync(Guid id, Guid? sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunColumns} FROM notebook_runs WHERE id = @id AND (@sessionId::uuid IS NULL OR session_id = @sessionId)
            """, new { id, sessionId }, cancellationToken: ct));
        return row is null ? null : await WithCellsAsync(connection, row, ct);
    }

    /// <summary>The latest run of one level of a session, or null: what the candidate last saw, restored on reload.</summary>
    public async Task<NotebookRun?> LastRunAsync(Guid sessionId, int position, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunColumns} FROM notebook_runs WHERE session_id = @sessionId AND level_position = @position ORDER BY created_at DESC LIMIT 1
            """, new { sessionId, position }, cancellationToken: ct));
        return row is null ? null : await WithCellsAsync(connection, row, ct);
    }

    /// <summary>A session's runs, oldest first, with their cells' results (for the reviewer's timeline).</summary>
    public async Task<IReadOnlyList<NotebookRun>> ListRunsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM notebook_runs WHERE session_id = @sessionId ORDER BY created_at", new { sessionId }, cancellationToken: ct));
        var runs = new List<NotebookRun>();
        foreach (var row in rows)
        {
            runs.Add(await WithCellsAsync(connection, row, ct));
        }
        return runs;
    }

    /// <summary>Every level's notes of a session, by level.</summary>
    public async Task<IReadOnlyDictionary<int, string>> NotesAsync(Guid sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(int Position, string Notes)>(new CommandDefinition(
            "SELECT position, notes FROM session_levels WHERE session_id = @sessionId AND notes IS NOT NULL AND notes <> '' ORDER BY position", new { sessionId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Position, r => r.Notes);
    }

    private const string RunColumns = "id, session_id, level_position, status, cells::text AS cells, created_at, started_at, finished_at, result::text AS result";

    private static async Task<NotebookRun> WithCellsAsync(NpgsqlConnection connection, RunRow row, CancellationToken ct)
    {
        var cells = await connection.QueryAsync<(int Cell, DateTime At, string Result)>(new CommandDefinition(
            "SELECT cell, at, result::text FROM notebook_run_cells WHERE run_id = @Id ORDER BY cell", new { row.Id }, cancellationToken: ct));
        return new NotebookRun(row.Id, row.SessionId, row.LevelPosition, Enum.Parse<NotebookRunStatus>(row.Status, ignoreCase: true),
            JsonSerializer.Deserialize<List<string>>(row.Cells, BugHuntDatabase.Json)!, row.CreatedAt, row.StartedAt, row.FinishedAt,
            [.. cells.Select(c => new NotebookCellResult(c.Cell, c.At, JsonDocument.Parse(c.Result).RootElement.Clone()))],
            row.Result is null ? null : JsonDocument.Parse(row.Result).RootElement.Clone());
    }

    private sealed record RunRow
    {
        public Guid Id { get; init; }
        public Guid SessionId { get; init; }
        public int LevelPosition { get; init; }
        public string Status { get; init; } = "";
        public string Cells { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public string? Result { get; init; }
    }
}
