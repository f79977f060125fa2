using BugHunt.Api.Submissions;
using BugHunt.Core.Submissions;
using BugHunt.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Submission streams wake on the database's notifications, not on a poll.</summary>
[Collection(ServerCollection.Name)]
public sealed class SubmissionSignalsTests(BugHuntServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [EndToEndFact]
    public async Task A_notification_wakes_exactly_the_waiter_of_its_submission()
    {
        using var signals = new SubmissionSignals(server.Db, NullLogger<SubmissionSignals>.Instance);
        await signals.StartAsync(CancellationToken.None);
        await WhenListeningAsync(signals);
        var (mine, other) = (Guid.NewGuid(), Guid.NewGuid());
        var signal = signals.Next(mine);
        var untouched = signals.Next(other);
        var any = signals.NextOfAny();

        await using (var connection = await server.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"SELECT pg_notify('{SubmissionStore.ChangedChannel}', @id)", new { id = mine.ToString() });
        }

        Assert.Same(signal, await Task.WhenAny(signal, Task.Delay(Patience)));
        Assert.True(any.IsCompleted);
        Assert.False(untouched.IsCompleted);
        await signals.StopAsync(CancellationToken.None);
    }

    private static async Task WhenListeningAsync(SubmissionSignals signals)
    {
        for (var waited = TimeSpan.Zero; !signals.Listening; waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < Patience, "the signals never started listening");
            await Task.Delay(50);
        }
    }
}
