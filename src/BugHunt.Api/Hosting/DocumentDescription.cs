using BugHunt.Api.Admin;
using BugHunt.Core.Staff;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BugHunt.Api.Hosting;

/// <summary>The document's own parts: its description, the ways to authenticate, the error schema and the tags.</summary>
internal sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    public const string StreamTicketScheme = "StreamTicket";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Candidate", "A candidate's assessment: open an invite, take the levels, run and submit fixes, follow their grading."),
        ("Admin", "Staff: assessments, invites, reports, users, packs and rejudges; each operation names the roles it admits."),
        ("Operations", "Health and metrics for the operator."),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "BugHunt API";
        document.Info.Description = "Candidates authenticate with the session token returned when they open their invite "
            + "(Authorization: Bearer <token>). Staff use their API key from `bughunt users add` (X-Api-Key header, or Authorization: Bearer); "
            + "each /api/admin endpoint names the roles it admits, and admins may call every one.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["SessionToken"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Candidate session token from POST /api/invites/{token}/sessions.",
        };
        document.Components.SecuritySchemes["AdminKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = StaffAuth.Header,
            Description = "A staff user's API key (bh_...), or the bootstrap admin key (BUGHUNT_ADMIN_KEY).",
        };
        document.Components.SecuritySchemes[StreamTicketScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = BugHunt.Api.Submissions.StreamAuth.TicketParameter,
            Description = "A ticket from POST /api/session/submissions/{id}/stream-ticket: that one submission's event stream only, for a browser's EventSource.",
        };
        document.Components.SecuritySchemes["StaffBearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same staff API key, sent as 'Authorization: Bearer <key>' (on /metrics also the metrics token, BUGHUNT_METRICS_TOKEN).",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[OperationContract.ProblemSchema] = ProblemDetailsSchema();
        document.Info.License = new OpenApiLicense { Name = "Proprietary: the installation's operator decides who may use it", Identifier = "LicenseRef-BugHunt-Installation" };
        document.Info.Contact = new OpenApiContact { Name = "The operator of this BugHunt installation" };
        // The document is served by the API it describes: clients resolve paths against where they fetched it.
        document.Servers = [new OpenApiServer { Url = "/", Description = "This installation" }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        RequestSchemas.RelaxRequired(document);
        LooseSchemas.NullableReferences(document);
        return Task.CompletedTask;
    }

    /// <summary>RFC 9457 problem details, as every error of the API is written; endpoints add members (e.g. required_roles).</summary>
    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457). The title says what went wrong, the detail what to do about it.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "A URI naming the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
        AdditionalPropertiesAllowed = true,
    };
}

/// <summary>Each staff operation names the roles that may call it, as its endpoint declares them.</summary>
internal sealed class StaffRolesDescription : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<StaffRolesMetadata>().LastOrDefault();
        var pattern = context.Description.RelativePath;
        if (declared is not null || (pattern is not null && StaffAuth.IsStaffRoute(pattern)))
        {
            var roles = declared?.Roles.Where(r => r != StaffRole.Admin).ToList() ?? [];
            var who = roles.Count == 0 ? "Staff role: admin." : $"Staff roles: {string.Join(", ", roles.Select(r => r.Name()))}, and admin.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{operation.Description}\n\n{who}";
        }
        return Task.CompletedTask;
    }
}
