using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace BugHunt.Api.Tests;

/// <summary>
/// Checks every response a test receives against the API's own OpenAPI document, fetched from the
/// server that answered: the operation must exist, the status must be one it documents, the media
/// type one that status declares, and a JSON body must match the declared schema. A response that
/// does not is a <see cref="ContractViolation"/> thrown from the call, so no API test passes on a
/// response a generated client could not read. Every response must also be uncacheable, and every
/// 401 must name its scheme.
/// </summary>
/// <remarks>
/// Outside the contract: the pages and their assets, the document itself, and the answers to a path
/// or method that names no operation (routing's 404 and 405, the staff gate's 401 and 403). Event streams are checked up to their media
/// type (their bodies never end); bodies other than JSON are not parsed.
/// </remarks>
public sealed class ContractCheck(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly ConcurrentDictionary<string, Task<ContractDocument>> Documents = new();

    /// <summary>A client whose every response is checked against the contract of the server it talks to.</summary>
    public static HttpClient Client(Uri baseAddress) => new(new ContractCheck(new SocketsHttpHandler())) { BaseAddress = baseAddress };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var uri = request.RequestUri!;
        if (!ContractDocument.Covers(uri.AbsolutePath) || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options)
        {
            return response;
        }
        var document = await Documents.GetOrAdd(uri.GetLeftPart(UriPartial.Authority), ContractDocument.FetchAsync);
        var problems = await document.CheckAsync(request.Method, uri.AbsolutePath, response, cancellationToken);
        problems.AddRange(ContractDocument.HeaderProblems(uri.AbsolutePath, response));
        if (problems.Count > 0)
        {
            throw new ContractViolation($"{request.Method} {uri.PathAndQuery} answered {(int)response.StatusCode} against the OpenAPI document:\n  "
                + string.Join("\n  ", problems));
        }
        return response;
    }
}

public sealed class ContractViolation(string message) : Exception(message);

/// <summary>The document's operations, and the compiled schema of each response body it declares.</summary>
internal sealed class ContractDocument
{
    private readonly List<(string Template, Regex Pattern, int Literals, JsonObject Operations)> _paths;
    private readonly JsonObject _schemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new();

    private ContractDocument(JsonObject document)
    {
        _schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        _paths = [.. document["paths"]!.AsObject().Select(p =>
        {
            var segments = p.Key.Trim('/').Split('/');
            var regex = "^/" + string.Join("/", segments.Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "/?$";
            return (p.Key, new Regex(regex, RegexOptions.IgnoreCase), segments.Count(s => !s.StartsWith('{')), p.Value!.AsObject());
        }).OrderByDescending(p => p.Item3)];
    }

    /// <summary>Whether a path is the API's (and so described by its document) rather than a page or an asset.</summary>
    public static bool Covers(string path) =>
        path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) || path is "/healthz" or "/metrics";

    public static async Task<ContractDocument> FetchAsync(string authority)
    {
        using var http = new HttpClient { BaseAddress = new Uri(authority) };
        var text = await http.GetStringAsync("/openapi/v1.json");
        return new ContractDocument(JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>
    /// What every response of the API carries whatever its operation: no cache may keep it (tokens,
    /// reports and code travel in them), and a 401 names the scheme to authenticate with.
    /// </summary>
    public static IEnumerable<string> HeaderProblems(string path, HttpResponseMessage response)
    {
        if (path != "/healthz" && response.Headers.CacheControl?.NoStore != true)
        {
            yield return $"Cache-Control is '{response.Headers.CacheControl}', not no-store";
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Count == 0)
        {
            yield return "a 401 without WWW-Authenticate";
        }
    }

    public async Task<List<string>> CheckAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        // No operation answers these: routing (404, 405) or the staff gate in front of it (401, 403).
        var routing = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        var match = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path));
        if (match.Template is null)
        {
            return routing ? [] : [$"no operation of the document has the path {path}"];
        }
        if (match.Operations[method.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            return routing ? [] : [$"{match.Template} has no {method} operation"];
        }
        var id = operation["operationId"]?.GetValue<string>() ?? $"{method} {match.Template}";
        var responses = operation["responses"]!.AsObject();
        if ((responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses["default"]) is not JsonObject declared)
        {
            return [$"{id} documents no {status} response (it documents {string.Join(", ", responses.Select(r => r.Key))})"];
        }
        var media = response.Content.Headers.ContentType?.MediaType;
        var content = declared["content"]?.AsObject();
        if (media is null)
        {
            return content is { Count: > 0 } && response.Content.Headers.ContentLength != 0 && status != 204
                ? [$"{id} {status}: the response has no media type; the document declares {string.Join(", ", content.Select(c => c.Key))}"]
                : [];
        }
        if (content?[media] is not JsonObject declaredMedia)
        {
            return [$"{id} {status}: media type {media} is not declared (declared: {string.Join(", ", content?.Select(c => c.Key) ?? [])})"];
        }
        if (!media.EndsWith("json", StringComparison.Ordinal) || declaredMedia["schema"] is not JsonNode schema)
        {
            return [];
        }
        await response.Content.LoadIntoBufferAsync(ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var results = Compile($"{id} {status} {media}", schema).Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. Errors(results).Take(10).Select(e => $"{id} {status}: {e}")];
    }

    /// <summary>What is wrong with a JSON request body for an operation, as the document declares it (empty when nothing).</summary>
    public List<string> CheckRequest(HttpMethod method, string path, string json)
    {
        var match = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path));
        if (match.Template is null || match.Operations[method.Method.ToLowerInvariant()] is not JsonObject operation)
        {
            return [$"no {method} operation has the path {path}"];
        }
        var id = operation["operationId"]?.GetValue<string>() ?? $"{method} {match.Template}";
        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not JsonNode schema)
        {
            return [$"{id} declares no JSON request body"];
        }
        using var body = JsonDocument.Parse(json);
        var results = Compile($"{id} request", schema).Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. Errors(results).Take(10).Select(e => $"{id} request: {e}")];
    }

    private static IEnumerable<string> Errors(EvaluationResults results) =>
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"at {(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "the body")}: {e.Value} ({d.EvaluationPath})"));

    /// <summary>One response schema with the document's components beside it as $defs, so its references resolve.</summary>
    private JsonSchema Compile(string key, JsonNode schema) => _compiled.GetOrAdd(key, _ =>
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _schemas.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    });
}
