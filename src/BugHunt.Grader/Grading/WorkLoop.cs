using Microsoft.Extensions.Logging;

namespace BugHunt.Grader.Grading;

/// <summary>The loop of a grader's side worker (notebook runs, pack validations): take the next piece of work, or wait and look again.</summary>
internal static class WorkLoop
{
    public static async Task RunAsync(Func<CancellationToken, Task<bool>> next, TimeSpan pollInterval, ILogger logger, string what, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await next(ct))
                {
                    await Task.Delay(pollInterval, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // A database restart is an outage to wait out, not a failure of the work.
                logger.LogWarning("{What}: database unavailable ({Error}); retrying", what, e.Message);
                await Task.Delay(pollInterval, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever went wrong, the worker lives on: the work's lease expires and it is taken up again.
                logger.LogError(e, "{What} failed unexpectedly; continuing", what);
                await Task.Delay(pollInterval, ct);
            }
        }
    }
}
