using System.Threading.Channels;
using BugHunt.Core.Grading;
using BugHunt.Core.Notebooks;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BugHunt.Grader.Grading;

/// <summary>
/// Runs candidates' notebooks: their files and cells in a fresh single-use sandbox, from the
/// public seed, with the submission's policy and the challenge's limits. Each cell's result is
/// stored as it finishes, so the page shows it at once. Beside grading, one at a time.
/// </summary>
internal sealed class NotebookWorker(NotebookStore notebooks, ChallengeStore challenges, DockerSandbox sandbox, TimeSpan pollInterval, ILogger logger)
{
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(30);

    public Task RunAsync(CancellationToken ct) => WorkLoop.RunAsync(RunNextAsync, pollInterval, logger, "A notebook run", ct);

    /// <summary>Runs one queued notebook if there is one; false when there is none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        var owner = sandbox.Options.GraderId;
        if (await notebooks.ClaimNextAsync(owner, LeaseLength, ct) is not { } claimed)
        {
            return false;
        }
        var challenge = (await challenges.GetAsync(claimed.ChallengeVersionId, ct))!.Challenge;
        await using var lease = new Lease(LeaseLength, t => notebooks.RenewLeaseAsync(claimed.Id, owner, LeaseLength, t), logger, ct);
        var cells = Channel.CreateUnbounded<CellResult>(new UnboundedChannelOptions { SingleReader = true });
        var storing = StoreCellsAsync(claimed.Id, owner, cells.Reader);
        NotebookResult result;
        try
        {
            result = await sandbox.RunNotebookAsync(claimed.Files, claimed.Cells, GradingPlan.PublicSeed, challenge.Rules, challenge.Limits,
                cell => cells.Writer.TryWrite(cell), lease.Lost);
        }
        catch (OperationCanceledException) when (lease.WasLost(ct))
        {
            logger.LogWarning("Lost the lease of notebook run {Run}; another grader has it", claimed.Id);
            return true;
        }
        finally
        {
            cells.Writer.Complete();
            await storing;
        }
        if (result.Outcome == NotebookOutcome.InfrastructureFailure && claimed.Attempts < NotebookStore.MaxAttempts)
        {
            // Not the candidate's doing: leave the lease to expire soon and let any grader try again.
            logger.LogWarning("Notebook run {Run} hit an infrastructure failure ({Detail}); it will be retried", claimed.Id, result.Detail);
            return true;
        }
        if (result.Detail is { } detail)
        {
            logger.LogInformation("Notebook run {Run}: {Outcome}; {Detail}", claimed.Id, result.Outcome, detail);
        }
        // The runner's stderr and protocol details are for staff logs, never for the candidate's page.
        var shown = result with { Detail = null };
        await notebooks.CompleteAsync(claimed.Id, owner, shown, [.. shown.Cells.Select(c => (object?)c)], ct);
        return true;
    }

    private async Task StoreCellsAsync(Guid id, string owner, ChannelReader<CellResult> cells)
    {
        await foreach (var cell in cells.ReadAllAsync())
        {
            if (cell.Status == CellStatus.Running)
            {
                continue;
            }
            try
            {
                await notebooks.RecordCellAsync(id, owner, cell.Cell - 1, cell, CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not record a notebook cell's result");
            }
        }
    }
}
