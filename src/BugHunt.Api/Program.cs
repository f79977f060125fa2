using BugHunt.Api.Admin;
using BugHunt.Api.Hosting;
using BugHunt.Api.Integrity;
using BugHunt.Api.Levels;
using BugHunt.Api.Notebooks;
using BugHunt.Api.Operations;
using BugHunt.Api.Pages;
using BugHunt.Api.Sessions;
using BugHunt.Api.Submissions;

await Program.Build(args).RunAsync();

/// <summary>The BugHunt web API. It never talks to Docker: grading happens in graders (<c>bughunt grader</c>).</summary>
public partial class Program
{
    /// <summary>The API as it runs; tests build theirs here too, configuring the builder first.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseResponseHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaffAuth();
        app.MapApiReference();

        app.MapOperations();
        app.MapSessions();
        app.MapLevels();
        app.MapSubmissions();
        app.MapNotebooks();
        app.MapIntegrity();
        app.MapAdmin();
        app.MapPages();
        return app;
    }
}
