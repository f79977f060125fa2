using System.Threading.Channels;
using BugHunt.Core.Authoring;
using BugHunt.Core.Packs;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BugHunt.Grader.Packs;

/// <summary>
/// Validates packs uploaded through the API, on the grader, through the sandbox: the same checks as
/// <c>bughunt pack validate</c>. One at a time, beside grading (candidates' submissions do not wait
/// for it), and leased like a submission, so a validation whose grader stops is taken up again.
/// </summary>
internal sealed class PackValidationWorker(PackValidationStore validations, DockerSandbox sandbox, TimeSpan pollInterval, ILogger logger)
{
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(60);

    public Task RunAsync(CancellationToken ct) => WorkLoop.RunAsync(ValidateNextAsync, pollInterval, logger, "A pack validation", ct);

    /// <summary>Validates one queued pack if there is one; false when there is none.</summary>
    public async Task<bool> ValidateNextAsync(CancellationToken ct)
    {
        var owner = sandbox.Options.GraderId;
        if (await validations.ClaimNextAsync(owner, LeaseLength, ct) is not { } claimed)
        {
            return false;
        }
        await using var lease = new Lease(LeaseLength, t => validations.RenewLeaseAsync(claimed.Id, owner, LeaseLength, t), logger, ct);
        try
        {
            PackFiles files;
            try
            {
                files = PackFiles.Load(claimed.Files);
            }
            catch (PackFormatException e)
            {
                await validations.CompleteAsync(claimed.Id, owner, passed: false, report: null, error: e.Message, ct);
                return true;
            }
            using (files)
            {
                var validator = new PackValidator(sandbox, parallelism: 1, claimed.Mutants);
                var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
                var storing = StoreProgressAsync(claimed.Id, lines.Reader);
                PackReport report;
                try
                {
                    report = await validator.ValidateAsync(files.Pack, line => lines.Writer.TryWrite(line), lease.Lost);
                }
                finally
                {
                    lines.Writer.Complete();
                    await storing;
                }
                await validations.CompleteAsync(claimed.Id, owner, report.Passed, report, error: null, ct);
                logger.LogInformation("Validated pack {Pack} ({Validation}): {Outcome}", claimed.PackId, claimed.Id, report.Passed ? "passed" : "failed");
            }
        }
        catch (OperationCanceledException) when (lease.WasLost(ct))
        {
            logger.LogWarning("Lost the lease of pack validation {Validation}; another grader has it", claimed.Id);
        }
        return true;
    }

    /// <summary>Stores progress lines in the order the validator wrote them; a line that cannot be stored is logged, and validation goes on.</summary>
    private async Task StoreProgressAsync(Guid id, ChannelReader<string> lines)
    {
        var last = "";
        await foreach (var line in lines.ReadAllAsync())
        {
            if (line == last)
            {
                continue;
            }
            last = line;
            try
            {
                await validations.AppendAsync(id, line, CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not record validation progress");
            }
        }
    }
}
