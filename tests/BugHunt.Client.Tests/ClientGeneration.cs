using NSwag;
using NSwag.CodeGeneration.CSharp;
using NJsonSchema;
using NJsonSchema.CodeGeneration;
using NJsonSchema.CodeGeneration.CSharp;

namespace BugHunt.Client.Tests;

/// <summary>
/// The C# client an integrator gets from the live document with NSwag, as committed in
/// Generated/BugHuntClient.g.cs: one client class, methods named by operationId, System.Text.Json,
/// the HttpClient's BaseAddress as the server.
/// </summary>
public static class ClientGeneration
{
    public static readonly string CommittedPath = Path.Combine(BugHunt.Testing.TestEnvironment.RepositoryRoot(), "tests", "BugHunt.Client.Tests", "Generated", "BugHuntClient.g.cs");

    /// <summary>Set to 1 to write the client the document gives instead of comparing it.</summary>
    public const string UpdateVariable = "BUGHUNT_UPDATE_CLIENT";

    public static async Task<string> GenerateAsync(string documentJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(documentJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "BugHuntClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            GenerateExceptionClasses = true,
            ExceptionClass = "BugHuntApiException",
            OperationNameGenerator = new NSwag.CodeGeneration.OperationNameGenerators.SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = "BugHunt.Client",
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
                DateTimeType = "System.DateTimeOffset",
                ArrayType = "System.Collections.Generic.List",
                ArrayInstanceType = "System.Collections.Generic.List",
                DictionaryType = "System.Collections.Generic.Dictionary",
                DictionaryInstanceType = "System.Collections.Generic.Dictionary",
                PropertyNameGenerator = new PascalCaseProperties(),
            },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        // The generator stamps its own version and a timestamp-free header; line endings are the repository's.
        return code.ReplaceLineEndings("\n");
    }

    /// <summary>snake_case members become PascalCase properties (queue_position → QueuePosition), as a C# reader expects.</summary>
    private sealed class PascalCaseProperties : IPropertyNameGenerator
    {
        public string Generate(JsonSchemaProperty property) =>
            string.Concat(property.Name.Split('_', '-', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
