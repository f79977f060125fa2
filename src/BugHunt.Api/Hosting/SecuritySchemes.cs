using BugHunt.Api.Admin;
using BugHunt.Core.Staff;
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
        return Task.CompletedTask;
    }
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
