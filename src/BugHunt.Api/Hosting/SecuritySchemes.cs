using BugHunt.Api.Admin;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BugHunt.Api.Hosting;

/// <summary>Describes the two ways to authenticate in the OpenAPI document.</summary>
internal sealed class SecuritySchemes : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "BugHunt API";
        document.Info.Description = "Candidates authenticate with the session token returned when they open their invite "
            + "(Authorization: Bearer <token>). Recruiters and proctors use the admin API key (X-Api-Key header).";
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
            Name = AdminAuth.Header,
            Description = "Admin API key (BUGHUNT_ADMIN_KEY).",
        };
        return Task.CompletedTask;
    }
}
