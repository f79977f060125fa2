using System.Diagnostics;
using System.Runtime.InteropServices;
using BugHunt.Core.Assessments;
using BugHunt.Core.Database;
using BugHunt.Core.Packs;
using BugHunt.Core.Sessions;
using BugHunt.Core.Submissions;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Sandboxes;
using Microsoft.Extensions.Logging;

namespace BugHunt.Cli;

/// <summary>The <c>bughunt</c> command.</summary>
internal static class Commands
{
    private const string Usage = """
        usage: bughunt <command> [options]

        commands:
          serve [--urls URL] [--packs DIR] [--api PATH]   migrate, import packs, start the API and a grader, print a demo invite
          grader                                          run a grading worker (claims queued submissions)
          migrate                                         apply the SQL migrations
          pack import <dir>                               import one challenge pack (versioned by content hash)
          pack validate <dir> [--json] [--parallel N] [--full] [--no-mutants] [--only CHALLENGE]
                                                          prove a pack sound through the sandbox, machine mutants included;
                                                          unchanged challenges come from validation-cache.json unless --full
          pack mutants <dir> <challenge> [--write DIR] [--id ID]
                                                          list the machine mutants of a challenge; write their files to grade one
          grade <pack>/<challenge> <files...> [--json] [--packs DIR] [--seed S]
                                                          grade files locally through the sandbox
          bench [--runs N] [--saturation N] [--workers N] [--challenges pack/id,...]
                                                          verdict latency (full path, warm, cold, in-process) and throughput
          load [--candidates N] [--graders 1,2]           N candidates submit a mix through the API; lost/duplicated, latency, drain

        environment:
          BUGHUNT_DATABASE        PostgreSQL connection string (required)
          BUGHUNT_SANDBOX_IMAGE   sandbox image tag (default bughunt-sandbox:latest)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        // Not disposed: ProcessExit can fire after RunAsync returns.
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        // Supervisors stop us with SIGTERM. Left to the runtime it ends the process at once, before
        // serve stops its API process and removes its warm containers; handled, it unwinds like Ctrl+C.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        var context = CommandContext.FromEnvironment();
        try
        {
            return args switch
            {
                ["serve", .. var rest] => await ServeAsync(Options.Parse(rest, ["--urls", "--packs", "--api"]), context, stop.Token),
                ["grader"] => await GraderAsync(context, stop.Token),
                ["migrate"] => await MigrateAsync(context, stop.Token),
                ["pack", "import", var dir] => await ImportAsync(dir, context, stop.Token),
                ["pack", "validate", var dir, .. var rest] => await PackCommands.ValidateAsync(dir, Options.Parse(rest, ["--parallel", "--only"], ["--json", "--full", "--no-mutants"]), context, stop.Token),
                ["pack", "mutants", var dir, var challenge, .. var rest] => MutantCommands.Run(dir, challenge, Options.Parse(rest, ["--write", "--id"])),
                ["grade", var target, .. var rest] => await Grade(target, rest, context, stop.Token),
                ["load", .. var rest] => await LoadCommand.RunAsync(Options.Parse(rest, ["--candidates", "--graders", "--packs"]), context, stop.Token),
                ["bench", .. var rest] => await BenchCommand.RunAsync(Options.Parse(rest, ["--runs", "--saturation", "--workers", "--packs", "--runner", "--api", "--challenges"]), context, stop.Token),
                ["help" or "--help" or "-h"] => Print(Usage, 0),
                _ => Print(Usage, 2),
            };
        }
        catch (UsageException e)
        {
            return Print($"bughunt: {e.Message}\n\n{Usage}", 2);
        }
        catch (PackFormatException e)
        {
            return Print($"bughunt: invalid pack: {e.Message}", 1);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
    }

    private static Task<int> Grade(string target, string[] rest, CommandContext context, CancellationToken ct)
    {
        var files = rest.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (files.Count == 0)
        {
            throw new UsageException("grade needs at least one file to grade");
        }
        return PackCommands.GradeAsync(target, files, Options.Parse(rest[files.Count..], ["--packs", "--seed"], ["--json"]), context, ct);
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

    private static async Task<int> ServeAsync(Options options, CommandContext context, CancellationToken ct)
    {
        var urls = options.Get("--urls") ?? "http://127.0.0.1:5080";
        var packsDir = options.Get("--packs") ?? Path.Combine(Directory.GetCurrentDirectory(), "challenges");
        var apiPath = options.Get("--api") ?? DefaultApiPath();
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
    internal static Process StartApi(string apiPath, string urls, string adminKey, bool quiet = false)
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
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the API process");
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

internal sealed class UsageException(string message) : Exception(message);

internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public static Options Parse(string[] args, string[] known, string[]? flags = null)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            if (flags?.Contains(args[i]) == true)
            {
                options._flags.Add(args[i]);
                continue;
            }
            if (!known.Contains(args[i]))
            {
                throw new UsageException($"unknown option '{args[i]}'");
            }
            if (i + 1 >= args.Length)
            {
                throw new UsageException($"option {args[i]} needs a value");
            }
            options._values[args[i]] = args[++i];
        }
        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public bool Has(string flag) => _flags.Contains(flag);

    public int PositiveInt(string name, int fallback) =>
        Get(name) is not { } text ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v
        : throw new UsageException($"{name} takes a positive whole number, got '{text}'");
}
