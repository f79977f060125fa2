using BugHunt.Api.Tests;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Client.Tests;

/// <summary>The committed client is exactly what NSwag makes of the document the API serves now.</summary>
[Collection(ServerCollection.Name)]
public sealed class GeneratedClientTests(BugHuntServer server)
{
    [PostgresFact]
    public async Task Committed_client_is_the_one_the_live_document_gives()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var generated = await ClientGeneration.GenerateAsync(await http.GetStringAsync("/openapi/v1.json"));
        if (Environment.GetEnvironmentVariable(ClientGeneration.UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(ClientGeneration.CommittedPath, generated);
        }
        var committed = File.Exists(ClientGeneration.CommittedPath) ? (await File.ReadAllTextAsync(ClientGeneration.CommittedPath)).ReplaceLineEndings("\n") : "";
        Assert.True(committed == generated,
            $"{ClientGeneration.CommittedPath} is not what the live document gives: the API changed. Regenerate it with "
            + $"{ClientGeneration.UpdateVariable}=1 dotnet test tests/BugHunt.Client.Tests --filter Committed_client, and review the diff.");
    }
}
