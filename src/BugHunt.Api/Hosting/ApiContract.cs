using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BugHunt.Api.Admin;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BugHunt.Api.Hosting;

/// <summary>
/// What every operation of the OpenAPI document says beyond its success response, from one set of
/// rules rather than per endpoint: who may call it (security), the errors it can answer with (as
/// ProblemDetails), and the headers those carry. The API tests check every response they receive
/// against this document, so a status the rules leave out fails a test instead of surprising a client.
/// </summary>
/// <remarks>
/// The rules: every operation can answer 503 (database unreachable, with Retry-After) and 500;
/// a secured one 401 (with WWW-Authenticate) and 403 (a staff role, a candidate token on the staff API,
/// or a locked level); one with path parameters 404; one with parameters or a body 400; one with a
/// body 413 and 415. Statuses particular to an endpoint (409, 410, 422, 429) it declares itself with
/// <c>ProducesProblem</c>.
/// </remarks>
internal sealed class OperationContract : IOpenApiOperationTransformer
{
    public const string ProblemSchema = "ProblemDetails";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        var path = "/" + (context.Description.RelativePath ?? "").Trim('/');
        var access = ApiAccess.Of(path);
        operation.Security = access.Requirements(document);
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<BugHunt.Api.Submissions.StreamTicketAccepted>().Any())
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentDescription.StreamTicketScheme, document)] = [] });
        }
        if (string.IsNullOrEmpty(operation.Description))
        {
            operation.Description = access.Description;
        }
        operation.Responses ??= [];
        if (context.Description.SupportedResponseTypes.Any(r => r.Type is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(PageView<>)))
        {
            PageParameters(operation);
        }
        var hasBody = operation.RequestBody is not null;
        var hasPathParameters = path.Contains('{', StringComparison.Ordinal);
        var hasParameters = hasPathParameters || operation.Parameters?.Count > 0;
        if (hasParameters || hasBody)
        {
            Add(operation, document, 400, "The request is malformed: a parameter or a field is missing, of the wrong type or out of range (the detail names it).");
        }
        if (access != ApiAccess.Public)
        {
            Add(operation, document, 401, "No credentials, or credentials this API does not accept.", WwwAuthenticate());
            if (access != ApiAccess.Metrics)
            {
                Add(operation, document, 403, "Authenticated, but not allowed to do this.");
            }
        }
        if (hasPathParameters)
        {
            Add(operation, document, 404, "Nothing with that identifier here.");
        }
        if (hasBody)
        {
            Add(operation, document, 413, "The request body is too large.");
            Add(operation, document, 415, "The request body is not of a media type this operation reads.");
        }
        Binary(operation.RequestBody?.Content);
        foreach (var response in operation.Responses.Values)
        {
            Binary(response.Content);
        }
        Add(operation, document, 500, "A fault of the server; nothing about it is disclosed.");
        Add(operation, document, 503, "Temporarily unavailable (the database cannot be reached); nothing was stored. Retry after the time given.", RetryAfter());
        foreach (var (status, response) in operation.Responses)
        {
            // An error the endpoint declared without a body, or as ProblemDetails, is the shared schema;
            // one it declared with its own body (the health check's 503) stays as declared.
            var error = status.StartsWith('4') || status.StartsWith('5');
            if (error && (response.Content is not { Count: > 0 } || response.Content.ContainsKey("application/problem+json")))
            {
                ProblemContent(response, document);
            }
        }
        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, OpenApiDocument document, int status, string description, params (string Name, OpenApiHeader Header)[] headers)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing))
        {
            if (existing is OpenApiResponse declared && string.IsNullOrEmpty(declared.Description))
            {
                declared.Description = description;
            }
            return;
        }
        var response = new OpenApiResponse { Description = description };
        if (headers.Length > 0)
        {
            response.Headers = headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)h.Header);
        }
        ProblemContent(response, document);
        operation.Responses[key] = response;
    }

    /// <summary>Errors are ProblemDetails (RFC 9457) as application/problem+json, whatever the endpoint declared.</summary>
    private static void ProblemContent(IOpenApiResponse response, OpenApiDocument document)
    {
        if (response is not OpenApiResponse r)
        {
            return;
        }
        r.Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
        };
    }

    /// <summary>A list endpoint reads its page from the query itself (Paging.Read): the document says which.</summary>
    private static void PageParameters(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters = [.. operation.Parameters.Where(p => p.Name is not ("limit" or "cursor"))];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "limit",
            In = ParameterLocation.Query,
            Description = $"Items per page, {1}..{Paging.MaxLimit} (default {Paging.DefaultLimit}).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = Paging.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "cursor",
            In = ParameterLocation.Query,
            Description = "next_cursor of the previous page, unchanged; leave it out for the first page.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    /// <summary>
    /// Bodies that are not JSON (CSV, images, archives, event streams, metrics text) are bytes of their
    /// media type, not a JSON string: clients then hand them over as streams instead of parsing them.
    /// </summary>
    private static void Binary(IDictionary<string, OpenApiMediaType>? content)
    {
        foreach (var (media, body) in content ?? new Dictionary<string, OpenApiMediaType>())
        {
            if (!media.EndsWith("json", StringComparison.Ordinal))
            {
                body.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            }
        }
    }

    private static (string, OpenApiHeader) RetryAfter() => ("Retry-After", new OpenApiHeader
    {
        Description = "Seconds to wait before trying again.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
    });

    private static (string, OpenApiHeader) WwwAuthenticate() => ("WWW-Authenticate", new OpenApiHeader
    {
        Description = "The scheme to authenticate with (RFC 9110).",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    });
}

/// <summary>Which credentials a path of the API takes; the document's security and the 401 challenge both come from here.</summary>
internal sealed class ApiAccess
{
    public static readonly ApiAccess Public = new("", [], "No credentials needed.");

    public static readonly ApiAccess Candidate = new("Bearer realm=\"BugHunt session\"", ["SessionToken"],
        "Needs the candidate's session token (Authorization: Bearer <token>).");

    public static readonly ApiAccess Staff = new($"Bearer realm=\"BugHunt staff\", ApiKey header=\"{StaffAuth.Header}\"", ["AdminKey", "StaffBearer"],
        $"Needs a staff API key ({StaffAuth.Header}, or Authorization: Bearer).");

    public static readonly ApiAccess Metrics = new($"Bearer realm=\"BugHunt metrics\", ApiKey header=\"{StaffAuth.Header}\"", ["AdminKey", "StaffBearer"],
        $"Needs an admin's key ({StaffAuth.Header}) or the metrics token as Authorization: Bearer.");

    private ApiAccess(string challenge, string[] schemes, string description)
    {
        Challenge = challenge;
        Schemes = schemes;
        Description = description;
    }

    /// <summary>What an operation here needs, said in its description when it has none of its own.</summary>
    public string Description { get; }

    /// <summary>The WWW-Authenticate value of a 401 here.</summary>
    public string Challenge { get; }

    /// <summary>Security schemes of the document, any one of which is enough.</summary>
    public IReadOnlyList<string> Schemes { get; }

    public static ApiAccess Of(PathString path) =>
        path.StartsWithSegments("/api/session", StringComparison.OrdinalIgnoreCase) ? Candidate
        : path.StartsWithSegments(StaffAuth.Prefix, StringComparison.OrdinalIgnoreCase) ? Staff
        : path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase) ? Metrics
        : Public;

    /// <summary>One requirement per scheme: the operation accepts any of them. Public operations say so with an empty list.</summary>
    public List<OpenApiSecurityRequirement> Requirements(OpenApiDocument document) =>
        [.. Schemes.Select(s => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(s, document)] = [] })];
}

/// <summary>
/// Numbers are numbers in the document: the API writes them strictly. A type that declares its numbers
/// may be NaN or ±Infinity (test diagnostics of a candidate's output) has each of them described as a
/// number or one of those three strings, nullable as the property is.
/// </summary>
internal sealed class NumberSchemas : IOpenApiSchemaTransformer
{
    /// <summary>The handling numbers get in API responses unless their type declares another.</summary>
    public const JsonNumberHandling Default = JsonNumberHandling.Strict;

    private static readonly string[] Literals = ["NaN", "Infinity", "-Infinity"];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.JsonTypeInfo.Type.GetCustomAttributes(typeof(JsonNumberHandlingAttribute), inherit: false)
            .OfType<JsonNumberHandlingAttribute>().FirstOrDefault();
        if (declared is null || !declared.Handling.HasFlag(JsonNumberHandling.AllowNamedFloatingPointLiterals) || schema.Properties is null)
        {
            return Task.CompletedTask;
        }
        foreach (var (name, property) in schema.Properties.ToList())
        {
            if (property is not OpenApiSchema p || p.Type is not { } type)
            {
                continue;
            }
            if (type.HasFlag(JsonSchemaType.Number))
            {
                schema.Properties[name] = NumberOrLiteral(p, type.HasFlag(JsonSchemaType.Null));
            }
            else if (type.HasFlag(JsonSchemaType.Array) && p.Items is OpenApiSchema items
                && (items.Type?.HasFlag(JsonSchemaType.Number) == true || items.AnyOf?.Any(a => a.Type?.HasFlag(JsonSchemaType.Number) == true) == true))
            {
                p.Items = NumberOrLiteral(items, nullable: false);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// One schema, not a composition, so that generated clients read it (as a number or a string):
    /// JSON Schema applies the pattern to strings only.
    /// </summary>
    private static OpenApiSchema NumberOrLiteral(OpenApiSchema number, bool nullable) => new()
    {
        Description = $"{number.Description} A number, or one of the strings {string.Join(", ", Literals)}.".TrimStart(),
        Type = JsonSchemaType.Number | JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0),
        Pattern = "^(" + string.Join("|", Literals) + ")$",
    };
}

/// <summary>
/// A request's nullable fields may be left out: the API reads a missing field as null and answers
/// 400 naming a field it needs. The generator lists every constructor parameter as required, which
/// would make generated clients demand fields the README's own bodies omit; so every schema a
/// request body reaches keeps only its non-nullable properties required. (A response always writes
/// every property, null or not: there required stays as generated.)
/// </summary>
internal static class RequestSchemas
{
    public static void RelaxRequired(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null || document.Paths is null)
        {
            return;
        }
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var bodies = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.RequestBody?.Content?.Values ?? []).Select(m => m.Schema);
        foreach (var body in bodies)
        {
            Reach(body, schemas, reached);
        }
        foreach (var name in reached)
        {
            if (schemas[name] is OpenApiSchema { Required: { Count: > 0 } required, Properties: { } properties })
            {
                foreach (var optional in required.Where(p => !properties.TryGetValue(p, out var property) || Nullable(property)).ToList())
                {
                    required.Remove(optional);
                }
            }
        }
    }

    private static bool Nullable(IOpenApiSchema property) =>
        property.Type?.HasFlag(JsonSchemaType.Null) == true
        || property.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true
        || property.AnyOf?.Any(s => s.Type?.HasFlag(JsonSchemaType.Null) == true) == true;

    private static void Reach(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema> schemas, HashSet<string> reached)
    {
        if (schema is null)
        {
            return;
        }
        if (schema is OpenApiSchemaReference { Reference.Id: { } id })
        {
            if (reached.Add(id) && schemas.TryGetValue(id, out var target))
            {
                Reach(target, schemas, reached);
            }
            return;
        }
        foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? []))
        {
            Reach(child, schemas, reached);
        }
        Reach(schema.Items, schemas, reached);
        Reach(schema.AdditionalProperties, schemas, reached);
    }
}

/// <summary>
/// Two things the generator leaves loose. Enums are written as their snake_case names: the document
/// says they are strings, so that generated clients read them as strings and not as numbers. And a
/// nullable reference is "null, or the referenced schema" (anyOf): as the generator's oneOf, a null
/// value fails whenever the referenced schema admits null too (a JSON value of any kind does).
/// </summary>
internal sealed class LooseSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is null && schema.Enum is { Count: > 0 } values && values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            schema.Type = JsonSchemaType.String;
        }
        return Task.CompletedTask;
    }

    /// <summary>Runs on the finished document: the generator wraps nullable references after the schema transformers.</summary>
    public static void NullableReferences(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            foreach (var property in schema.Properties?.Values ?? [])
            {
                if (property is OpenApiSchema { OneOf: [{ Type: JsonSchemaType.Null }, _] or [_, { Type: JsonSchemaType.Null }] } nullable)
                {
                    nullable.AnyOf = nullable.OneOf;
                    nullable.OneOf = null;
                }
            }
        }
    }
}
