using BugHunt.Core.Submissions;
using Npgsql;

namespace BugHunt.Grader.Grading;

/// <summary>
/// The grader's LISTEN on the queue channel, on a connection of its own that is opened again after
/// the database restarts: a broken one would otherwise leave the grader deaf to new work (and
/// logging an error every poll) for the rest of its life.
/// </summary>
internal sealed class QueueListener(NpgsqlDataSource db) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    /// <summary>Waits for a notification or <paramref name="timeout"/>; when the connection is down, opens a new one and waits no longer.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_connection is not { State: System.Data.ConnectionState.Open })
        {
            await ReopenAsync(ct);
            // Work queued while nobody listened was never announced: look at the queue first.
            return;
        }
        try
        {
            await _connection.WaitAsync(timeout, ct);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException && !ct.IsCancellationRequested)
        {
            await DropAsync();
        }
    }

    private async Task ReopenAsync(CancellationToken ct)
    {
        await DropAsync();
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            await using var listen = connection.CreateCommand();
            listen.CommandText = $"LISTEN {SubmissionStore.QueueChannel}";
            await listen.ExecuteNonQueryAsync(ct);
            _connection = connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
