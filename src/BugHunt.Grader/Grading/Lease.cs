using Microsoft.Extensions.Logging;
using Npgsql;

namespace BugHunt.Grader.Grading;

/// <summary>
/// Keeps a leased piece of work (a submission, a pack validation, a notebook run) leased while a
/// grader works on it: renews every third of the lease, and cancels <see cref="Lost"/> when the
/// lease went to another grader, so the work can stop instead of finishing twice. A renewal the
/// database could not take (it is restarting) is tried again at the next third: giving up on the
/// first one would hand a job that is still running to another grader.
/// </summary>
public sealed class Lease : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost;
    private readonly Task _renewing;

    public Lease(TimeSpan length, Func<CancellationToken, Task<bool>> renew, ILogger logger, CancellationToken ct)
    {
        _lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _renewing = RenewAsync(length, renew, logger, ct);
    }

    /// <summary>Cancelled when the lease is lost (or the grader stops).</summary>
    public CancellationToken Lost => _lost.Token;

    public bool WasLost(CancellationToken ct) => _lost.IsCancellationRequested && !ct.IsCancellationRequested;

    private async Task RenewAsync(TimeSpan length, Func<CancellationToken, Task<bool>> renew, ILogger logger, CancellationToken ct)
    {
        try
        {
            while (!_lost.IsCancellationRequested)
            {
                await Task.Delay(length / 3, _lost.Token);
                try
                {
                    if (!await renew(ct))
                    {
                        await _lost.CancelAsync();
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("Could not renew a lease ({Error}); trying again in {Seconds:F0} s", e.Message, (length / 3).TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lost.CancelAsync();
        await _renewing;
        _lost.Dispose();
    }
}
