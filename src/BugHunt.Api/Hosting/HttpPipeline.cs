namespace BugHunt.Api.Hosting;

/// <summary>The API's middleware and its reference pages, used in this order by Program.cs.</summary>
public static class HttpPipeline
{
    /// <summary>
    /// Every response, API JSON, problems, snapshots and pages alike, is read by browsers only as the
    /// type it declares: a snapshot or a candidate's text is never sniffed into HTML or script. The
    /// header is set when the response starts, so the exception handler clearing headers cannot drop it.
    /// </summary>
    public static void UseNoSniff(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
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
