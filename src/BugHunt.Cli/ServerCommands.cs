using System.CommandLine;
using System.Diagnostics;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;

namespace BugHunt.Cli;

/// <summary>Running the service: serve, grader, migrate and pack import.</summary>
internal static class ServerCommands
{
    public static Command Serve()
    {
        var urls = Invocation.Word("--urls", "URL", "where the API listens (';' between several)", "http://127.0.0.1:5080");
        var packs = Invocation.Word("--packs", "DIR", "the directory of challenge packs to import [default: ./challenges]");
        var api = Invocation.Word("--api", "PATH", "the built BugHunt.Api.dll [default: next to this CLI]");
        var command = new Command("serve", "migrate, import packs, start the API and a grader, print a demo invite") { urls, packs, api };
        command.SetRun((parse, context, ct) => ServeAsync(
            parse.GetRequiredValue(urls),
            parse.GetValue(packs) ?? Path.Combine(Directory.GetCurrentDirectory(), "challenges"),
            parse.GetValue(api) ?? DefaultApiPath(),
            context, ct));
        return command;
    }

    public static Command Grader()
    {
        var command = new Command("grader", "run a grading worker (claims queued submissions)");
        command.SetRun((_, context, ct) => GraderAsync(context, ct));
        return command;
    }

    public static Command Migrate()
    {
        var command = new Command("migrate", "apply the SQL migrations");
        command.SetRun((_, context, ct) => MigrateAsync(context, ct));
        return command;
    }

    public static Command PackImport()
    {
        var dir = new Argument<string>("dir") { Description = "the pack's directory" };
        var command = new Command("import", "import one challenge pack (versioned by content hash)") { dir };
        command.SetRun((parse, context, ct) => ImportAsync(parse.GetRequiredValue(dir), context, ct));
        return command;
    }

    private static int Print(string text, int code)
    {
        (code == 0 ? Console.Out : Console.Error).WriteLine(text);
        return code;
    }

    private static async Task<int> MigrateAsync(CommandContext context, CancellationToken ct)
    {
        await using var db = context.OpenDatabase();
        var applied = await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        Console.WriteLine(applied.Count == 0 ? "database schema is up to date" : $"applied migrations {string.Join(", ", applied)}");
        return 0;
    }

    private static async Task<int> ImportAsync(string dir, CommandContext context, CancellationToken ct)
    {
        await using var db = context.OpenDatabase();
        await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        await ImportPackAsync(new ChallengeStore(db, context.Clock), dir, ct);
        return 0;
    }

    private static async Task<ChallengePack> ImportPackAsync(ChallengeStore store, string dir, CancellationToken ct)
    {
        var pack = PackLoader.Load(dir);
        foreach (var c in await store.ImportAsync(pack, ct))
        {
            Console.WriteLine($"  {pack.Id}/{c.ChallengeId}: version {c.ContentHash[..12]} {(c.IsNew ? "imported" : "unchanged")}");
        }
        return pack;
    }

    private static async Task<int> GraderAsync(CommandContext context, CancellationToken ct)
    {
        await using var db = context.OpenDatabase();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        using var grader = await GraderAsync(context, db, loggers, ct);
        await grader.RunAsync(ct);
        return 0;
    }

    /// <summary>The configured grader, after checking that its engine answers and has the image.</summary>
    private static async Task<GraderInstance> GraderAsync(CommandContext context, Npgsql.NpgsqlDataSource db, ILoggerFactory loggers, CancellationToken ct)
    {
        var grader = context.Grader(db, loggers);
        if (!await grader.Sandbox.IsAvailableAsync(ct))
        {
            grader.Dispose();
            throw new UsageException($"the Docker engine at {context.Sandbox.DockerEndpoint} does not answer or has no image {context.Sandbox.Image} (run sandbox/build-image.sh)");
        }
        return grader;
    }

    private static async Task<int> ServeAsync(string urls, string packsDir, string apiPath, CommandContext context, CancellationToken ct)
    {
        if (!File.Exists(apiPath))
        {
            return Print($"bughunt: the API is not built at {apiPath} (build BugHunt.sln, or pass --api)", 1);
        }
        await using var db = context.OpenDatabase();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        using var grader = await GraderAsync(context, db, loggers, ct);

        var applied = await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        Console.WriteLine(applied.Count == 0 ? "database schema is up to date" : $"applied migrations {string.Join(", ", applied)}");
        var challenges = new ChallengeStore(db, context.Clock);
        var packs = new List<ChallengePack>();
        foreach (var dir in Directory.EnumerateDirectories(packsDir).Where(d => File.Exists(Path.Combine(d, PackLoader.ManifestFile))).Order(StringComparer.Ordinal))
        {
            packs.Add(await ImportPackAsync(challenges, dir, ct));
        }
        var demoPack = packs.FirstOrDefault(p => p.Id == "lab-screen") ?? packs.FirstOrDefault()
            ?? throw new UsageException($"no challenge packs found in {packsDir}");
        var levels = new List<NewLevel>();
        foreach (var c in demoPack.Challenges.OrderBy(c => c.Level))
        {
            var version = await challenges.LatestVersionAsync(demoPack.Id, c.Id, ct) ?? throw new InvalidOperationException("import did not record a version");
            levels.Add(new NewLevel(version, 100, 1.0));
        }
        var demo = await new AssessmentStore(db, context.Clock).CreateAsync(new NewAssessment(
            $"{demoPack.Title} (demo)", 90, 600, 420, true, "No AI assistants or outside help. C#, .NET and TorchSharp documentation may be used.",
            new ProctoringRequirements(false, false), levels), ct);
        var invite = await new SessionStore(db, context.Clock).CreateInviteAsync(demo, "demo candidate", null, 0, reusable: true, ct);
        var adminKey = Environment.GetEnvironmentVariable("BUGHUNT_ADMIN_KEY") is { Length: >= 16 } k ? k : Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

        using var api = StartApi(apiPath, urls, adminKey: adminKey);
        try
        {
            var grading = grader.RunAsync(ct);
            var baseUrl = urls.Split(';')[0].TrimEnd('/');
            Console.WriteLine($"""

                BugHunt is serving at {baseUrl}   (API reference: {baseUrl}/api-docs)
                Demo assessment {demo}: {demoPack.Challenges.Count} levels of {demoPack.Id}, 90 minutes
                Demo invite (reusable): {invite}
                  in a browser:  {baseUrl}/invite/{invite}
                  over the API:  curl -s -X POST {baseUrl}/api/invites/{invite}/sessions
                Proctor console: {baseUrl}/proctor   (sign in with the admin key)
                Admin key (X-Api-Key): {adminKey}
                Press Ctrl+C to stop.

                """);
            await Task.WhenAny(grading, api.WaitForExitAsync(ct));
            if (api.HasExited && !ct.IsCancellationRequested)
            {
                return Print($"bughunt: the API process exited with code {api.ExitCode}", 1);
            }
            await grading;
            return 0;
        }
        finally
        {
            if (!api.HasExited)
            {
                api.Kill(entireProcessTree: true);
                await api.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The API runs as its own process: it must never share an address space with Docker access.</summary>
    internal static Process StartApi(string apiPath, string urls, string adminKey, bool quiet = false) =>
        Process.Start(ApiStartInfo(apiPath, urls, adminKey, quiet)) ?? throw new InvalidOperationException("could not start the API process");

    /// <summary>How the API process is started; chaos adds its private database and a log file to it.</summary>
    internal static ProcessStartInfo ApiStartInfo(string apiPath, string urls, string adminKey, bool quiet)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.Environment["BUGHUNT_ADMIN_KEY"] = adminKey;
        if (quiet)
        {
            start.Environment["Logging__LogLevel__Default"] = "Warning";
        }
        start.ArgumentList.Add(apiPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(urls);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }

    internal static string DefaultApiPath()
    {
        // bin/<Configuration>/<tfm>/ of the CLI mirrors that of the API project next to it.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var src = here.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(src, "BugHunt.Api", "bin", configuration, tfm, "BugHunt.Api.dll");
    }
}
