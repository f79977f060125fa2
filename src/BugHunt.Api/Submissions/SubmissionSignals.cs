using System.Collections.Concurrent;
using BugHunt.Core.Submissions;
using Npgsql;

namespace BugHunt.Api.Submissions;

/// <summary>
/// Hears the database announce each submission's change of state (LISTEN on
/// <see cref="SubmissionStore.ChangedChannel"/>, one connection per API process) and wakes the
/// streams waiting for it, so a verdict reaches the candidate as soon as it is stored. When the
/// connection is lost it reconnects, and meanwhile waiters fall back to polling.
/// </summary>
public sealed class SubmissionSignals(NpgsqlDataSource db, ILogger<SubmissionSignals> logger) : BackgroundService
{
    /// <summary>How long a stream waits for a signal before it reads again anyway.</summary>
    public static readonly TimeSpan Fallback = TimeSpan.FromSeconds(5);

    /// <summary>The polling interval while notifications cannot be heard.</summary>
    public static readonly TimeSpan Unheard = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();
    private TaskCompletionSource _any = NewSignal();

    /// <summary>Whether notifications are being heard right now.</summary>
    public bool Listening { get; private set; }

    /// <summary>
    /// Completes at the next change of submission <paramref name="id"/>. Take it before reading
    /// the submission, then wait on it: a change in between is not missed.
    /// </summary>
    public Task Next(Guid id) => _waiting.GetOrAdd(id, _ => NewSignal()).Task;

    /// <summary>Completes at the next change of any submission (a queued one's position moves then).</summary>
    public Task NextOfAny() => Volatile.Read(ref _any).Task;

    /// <summary>Waits for <paramref name="signal"/>, or at most the fallback (short while unheard), or <paramref name="atMost"/> if sooner.</summary>
    public async Task WaitAsync(Task signal, TimeSpan atMost, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var fallback = Listening ? Fallback : Unheard;
        timeout.CancelAfter(atMost < fallback ? TimeSpan.FromTicks(Math.Max(atMost.Ticks, 0)) : fallback);
        try
        {
            await signal.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                connection.Notification += (_, e) => Signal(e.Payload);
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = $"LISTEN {SubmissionStore.ChangedChannel}";
                    await listen.ExecuteNonQueryAsync(ct);
                }
                Listening = true;
                // Changes made while nothing was heard: every waiter reads again.
                SignalAll();
                while (true)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                Listening = false;
                logger.LogWarning("Submission notifications unheard ({Error}); streams poll until the database answers again", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            finally
            {
                Listening = false;
            }
        }
    }

    private void Signal(string payload)
    {
        if (Guid.TryParse(payload, out var id) && _waiting.TryRemove(id, out var signal))
        {
            signal.TrySetResult();
        }
        Interlocked.Exchange(ref _any, NewSignal()).TrySetResult();
    }

    private void SignalAll()
    {
        foreach (var id in _waiting.Keys)
        {
            if (_waiting.TryRemove(id, out var signal))
            {
                signal.TrySetResult();
            }
        }
        Interlocked.Exchange(ref _any, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
