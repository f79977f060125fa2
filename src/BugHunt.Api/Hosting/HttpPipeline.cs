namespace BugHunt.Api.Hosting;

/// <summary>The API's middleware and its reference pages, used in this order by Program.cs.</summary>
public static class HttpPipeline
{
    /// <summary>
    /// Headers every response gets as it starts (so the exception handler clearing headers cannot drop
    /// them). Every response, API JSON, problems, snapshots and pages alike, is read by browsers only as
    /// the type it declares: a snapshot or a candidate's text is never sniffed into HTML or script.
    /// Nothing the API answers may be cached anywhere: its responses carry session tokens, staff keys,
    /// reports and a candidate's code. A 401 names the scheme to authenticate with.
    /// </summary>
    public static void UseResponseHeaders(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var response = context.Response;
            response.Headers.XContentTypeOptions = "nosniff";
            var access = ApiAccess.Of(context.Request.Path);
            if (access != ApiAccess.Public || context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.CacheControl = "no-store";
            }
            if (response.StatusCode == StatusCodes.Status401Unauthorized && access != ApiAccess.Public && response.Headers.WWWAuthenticate.Count == 0)
            {
                response.Headers.WWWAuthenticate = access.Challenge;
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>The OpenAPI document and its browsable reference at /api-docs.</summary>
    public static void MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "BugHunt API");
            o.DocumentTitle = "BugHunt API reference";
        });
    }
}
