using Microsoft.Extensions.FileProviders;

namespace BugHunt.Api.Pages;

/// <summary>
/// The browser pages: the candidate IDE at /invite/{token}, the proctor console at /proctor and the
/// author console (packs, validations, rejudges) at /author.
/// They are bundled from web/ by the project's scripts (npm + esbuild) into wwwroot and served
/// from disk; nothing is fetched from anywhere else at run time. X-Content-Type-Options is set for
/// every response by the host (HttpPipeline.UseResponseHeaders), not here.
/// </summary>
public static class WebPages
{
    public const string WebRootVariable = "BUGHUNT_WEB_ROOT";

    // The pages only talk to this origin. CodeMirror writes its styles into <style> elements,
    // snapshots are drawn from blob: URLs, and no page may be framed by another site.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; " +
        "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static void MapPages(this WebApplication app)
    {
        var root = app.Configuration[WebRootVariable] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var built = File.Exists(Path.Combine(root, "candidate.html"));
        if (built)
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root),
                RequestPath = "/assets",
                OnPrepareResponse = c =>
                {
                    // Bundles carry a content hash in their names, so they never change.
                    c.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                },
            });
        }

        app.MapGet("/", () => TypedResults.Redirect("/proctor")).ExcludeFromDescription();
        app.MapGet("/invite/{token}", (HttpContext http) => Page(http, root, built, "candidate.html")).ExcludeFromDescription();
        app.MapGet("/proctor", (HttpContext http) => Page(http, root, built, "proctor.html")).ExcludeFromDescription();
        app.MapGet("/author", (HttpContext http) => Page(http, root, built, "author.html")).ExcludeFromDescription();
    }

    private static IResult Page(HttpContext http, string root, bool built, string name)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // The invite token is in the page's path: never send it to anyone in a Referer.
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(self), display-capture=(self), microphone=()";
        if (!built)
        {
            return TypedResults.Text(
                $"The web pages are not built (no {Path.Combine(root, name)}). scripts/serve.sh builds them; by hand: npm --prefix web ci && npm --prefix web run build, then rebuild the API.",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return TypedResults.PhysicalFile(Path.Combine(root, name), "text/html; charset=utf-8");
    }
}
