using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Database;
using BugHunt.Core.Grading;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using BugHunt.Grader.Grading;
using BugHunt.Grader.Packs;
using BugHunt.Grader.Sandboxes;

namespace BugHunt.Cli;

/// <summary>Author commands: validate a pack, grade files locally. Both go through the real sandbox.</summary>
internal static class PackCommands
{
    private static readonly JsonSerializerOptions ReportJson = new(BugHuntDatabase.Json) { WriteIndented = true };

    public static Command Validate()
    {
        var dir = new Argument<string>("dir") { Description = "the pack's directory" };
        var json = Invocation.Flag("--json", "print the report as JSON (and no spinner)");
        var parallel = Invocation.PositiveInt("--parallel", 2, "challenges and mutants run at once, each in its own container");
        var full = Invocation.Flag("--full", "validate every challenge, ignoring validation-cache.json");
        var noMutants = Invocation.Flag("--no-mutants", "skip the machine mutants");
        var only = Invocation.Word("--only", "CHALLENGE", "validate this challenge only");
        var command = new Command(
            "validate",
            "prove a pack sound through the sandbox, machine mutants included"
            + " (unchanged challenges come from validation-cache.json unless --full)")
        {
            dir, json, parallel, full, noMutants, only,
        };
        command.SetRun((parse, context, ct) => ValidateAsync(
            parse.GetRequiredValue(dir), parse.GetValue(parallel), !parse.GetValue(noMutants), parse.GetValue(full),
            parse.GetValue(only), parse.GetValue(json), context, ct));
        return command;
    }

    public static Command Convert()
    {
        var dir = new Argument<string>("dir") { Description = "the pack's directory" };
        var command = new Command("convert", "rewrite a pack whose bugs are folders of whole files: each bug and wrong fix becomes one diff against the reference") { dir };
        command.SetRun(parse => ConvertPack(parse.GetRequiredValue(dir)));
        return command;
    }

    private static int ConvertPack(string dir)
    {
        var written = PackConverter.Convert(dir);
        foreach (var file in written)
        {
            Console.WriteLine($"wrote {file}");
        }
        Console.WriteLine(written.Count == 0
            ? "nothing to convert: the pack already writes its variants as diffs"
            : "converted: every challenge loads to the same starter, bugs and wrong fixes, byte for byte");
        return 0;
    }

    public static Command Grade()
    {
        var target = new Argument<string>("pack/challenge")
        {
            Description = "the challenge to grade against, such as lab-screen/numerics-warmup",
        };
        var files = new Argument<string[]>("files") { Description = "the editable files to grade", Arity = ArgumentArity.OneOrMore };
        var json = Invocation.Flag("--json", "print the verdict as JSON");
        var packs = Invocation.Word("--packs", "DIR", "the directory of challenge packs", "challenges");
        var seed = new Option<long?>("--seed")
        {
            Description = "the hidden seed, to re-run a recorded verdict exactly [default: the pool's first]",
            HelpName = "S",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
                result.AddError($"--seed takes a non-negative whole number, got '{text}'");
                return null;
            },
        };
        var command = new Command("grade", "grade files locally through the sandbox") { target, files, json, packs, seed };
        command.SetRun((parse, context, ct) => GradeAsync(
            parse.GetRequiredValue(target), parse.GetRequiredValue(files), parse.GetRequiredValue(packs),
            parse.GetValue(seed), parse.GetValue(json), context, ct));
        return command;
    }

    private static async Task<int> ValidateAsync(
        string dir, int parallel, bool mutants, bool full, string? only, bool json, CommandContext context, CancellationToken ct)
    {
        var pack = PackLoader.Load(dir);
        using var sandbox = await context.SandboxAsync(ct);
        // Mutants are many short jobs: warm containers save each the runtime's start.
        sandbox.StartPool(parallel, pack.Challenges.Max(c => c.Limits.MemoryMb));
        var validator = new PackValidator(sandbox, parallel, mutants);
        var cache = full ? null : ValidationCache.Open(dir);
        var report = await LiveProgress.RunAsync($"validating {pack.Id}", json,
            progress => validator.ValidateAsync(pack, progress, ct, cache, only));
        Console.WriteLine(json ? JsonSerializer.Serialize(report, ReportJson) : Format(report));
        return report.Passed ? 0 : 1;
    }

    private static async Task<int> GradeAsync(
        string target, string[] files, string packsDir, long? givenSeed, bool json, CommandContext context, CancellationToken ct)
    {
        var parts = target.Split('/');
        if (parts.Length != 2)
        {
            throw new UsageException($"expected <pack>/<challenge>, got '{target}'");
        }
        var pack = PackLoader.Load(Path.Combine(packsDir, parts[0]));
        var challenge = pack.Challenges.FirstOrDefault(c => c.Id == parts[1])
            ?? throw new UsageException($"pack '{pack.Id}' has no challenge '{parts[1]}' (it has {string.Join(", ", pack.Challenges.Select(c => c.Id))})");
        var submitted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (!challenge.Editable.Contains(name))
            {
                throw new UsageException($"'{name}' is not an editable file of {target} ({string.Join(", ", challenge.Editable)})");
            }
            submitted[name] = File.Exists(file) ? await File.ReadAllTextAsync(file, ct) : throw new UsageException($"no file '{file}'");
        }
        // --seed re-runs a recorded verdict exactly (its hidden seed); by default the pool's first.
        var seed = givenSeed ?? GradingPlan.HiddenSeeds(challenge)[0];
        using var sandbox = await context.SandboxAsync(ct);
        var build = await new ProbeBuilds(sandbox).GetAsync(challenge, ct);
        if (build.Probes is null)
        {
            Console.Error.WriteLine($"bughunt: {build.Error}");
            return 1;
        }
        var referenceRun = await sandbox.RunAsync(sandbox.JobFor(challenge, build.Probes, challenge.ReferenceFiles, challenge.Tests, seed), challenge.Limits, ct);
        if (referenceRun.ProblemAsReference(challenge.Probes.Select(p => p.Id)) is { } problem)
        {
            Console.Error.WriteLine($"bughunt: the reference solution of {target} failed: {problem}");
            return 1;
        }
        var job = sandbox.JobFor(challenge, build.Probes, SubmittedFiles.Overlay(challenge.StarterFiles, submitted), challenge.Tests, seed);
        var run = await sandbox.RunAsync(job, challenge.Limits, ct);
        var verdict = Judge.Decide(challenge.Tests, run, referenceRun.Probes) with { Seeds = new ProbeSeeds(GradingPlan.PublicSeed, seed) };
        Console.WriteLine(json ? JsonSerializer.Serialize(verdict, ReportJson) : Format(verdict));
        return verdict.Kind == VerdictKind.Accepted ? 0 : 1;
    }

    internal static string Format(PackReport report)
    {
        var text = new StringBuilder();
        foreach (var c in report.Challenges)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{report.Pack}/{c.Challenge} (level {c.Level}){new string(' ', Math.Max(1, 40 - report.Pack.Length - c.Challenge.Length))}{(c.Passed ? "PASS" : "FAIL")}{(c.FromCache ? " (cached: unchanged since it passed)" : "")}");
            var runs = string.Join(", ", c.ReferenceSeconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture) + " s"));
            text.AppendLine(CultureInfo.InvariantCulture, $"  reference    {c.ReferenceSeconds.Count} runs: {runs}; {(c.ReferenceDeterministic ? "identical observations" : "observations DIFFER")}; {(c.ReferenceFailedTests.Count == 0 ? "passes every test" : $"fails {c.ReferenceFailedTests.Count} test(s)")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  time limit   {c.TimeLimitSeconds} s; reference {c.ReferenceMaxSeconds:F1} s ({(c.ReferenceMaxSeconds == 0 ? "-" : (c.TimeLimitSeconds / c.ReferenceMaxSeconds).ToString("F1", CultureInfo.InvariantCulture))}x, at least {PackValidator.TimeLimitFactor}x required)");
            if (c.Starter is { } s)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  starter      {s.Verdict}; fails {s.FailedHiddenTests.Count} hidden and {s.FailedPublicTests.Count} public test(s)");
            }
            text.AppendLine(CultureInfo.InvariantCulture, $"  mutation     {c.Bugs.Count(b => b.Caught)}/{c.Bugs.Count} planted bugs caught by hidden tests ({c.MutationScore * 100:F0}%)");
            foreach (var b in c.Bugs)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {b.Id,-28} {(b.Caught ? "caught by " + string.Join(", ", b.FailedHiddenTests) : "NOT CAUGHT")}");
            }
            if (c.Mutation is { } m)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  mutants      {m.Mutants.Count} generated{(m.Dropped > 0 ? $" (+{m.Dropped} over the cap)" : "")}: {m.Killed} killed ({m.Mutants.Count(x => x.Stillborn)} by the compiler), {m.Equivalent} equivalent, {m.Survivors.Count} survived; {m.Score * 100:F0}% of non-equivalent killed in {m.Seconds:F0} s");
                foreach (var o in m.ByOperator)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"    {o.Operator,-20} {o.Category,-20} {o.Mutants,4} mutants  {o.Killed,4} killed  {o.Equivalent,3} equivalent  {o.Survived,3} survived");
                }
                foreach (var survivor in m.Survivors)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"    SURVIVED {survivor.Id}: {survivor.File}:{survivor.Line}: {survivor.Description}");
                }
            }
            text.AppendLine(CultureInfo.InvariantCulture, $"  wrong fixes  {c.WrongFixes.Count(w => w.Caught)}/{c.WrongFixes.Count} rejected");
            foreach (var w in c.WrongFixes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {w.Id,-28} {(w.Caught ? "rejected by " + string.Join(", ", w.FailedHiddenTests) : "NOT REJECTED")}");
            }
            if (c.Notebook is { } nb)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  notebook     {nb.Reference.Count} cells; reference: {string.Join(" ", nb.Reference)} ({nb.ReferenceSeconds:F1} s); starter: {string.Join(" ", nb.Starter)} ({nb.StarterSeconds:F1} s)");
            }
            foreach (var problem in c.Problems)
            {
                text.AppendLine("  problem: " + problem);
            }
            text.AppendLine();
        }
        var bugs = report.Challenges.SelectMany(c => c.Bugs).ToList();
        var machine = report.Challenges.Select(c => c.Mutation).OfType<MutationSummary>().ToList();
        text.Append(CultureInfo.InvariantCulture, $"{report.Pack}: {report.Challenges.Count(c => c.Passed)}/{report.Challenges.Count} challenges valid; planted bugs caught {bugs.Count(b => b.Caught)}/{bugs.Count}; machine mutants killed {machine.Sum(m => m.Killed)}/{machine.Sum(m => m.Mutants.Count - m.Equivalent)} ({machine.Sum(m => m.Equivalent)} equivalent); wrong fixes rejected {report.Challenges.Sum(c => c.WrongFixes.Count(w => w.Caught))}/{report.Challenges.Sum(c => c.WrongFixes.Count)}; {(report.Passed ? "PASS" : "FAIL")}");
        return text.ToString();
    }

    private static string Format(Verdict verdict)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{VerdictKinds.Name(verdict.Kind)} — score {verdict.Score * 100:F0}% — {verdict.Message}");
        if (verdict.Detail is { } detail)
        {
            text.AppendLine("detail: " + detail);
        }
        if (verdict.BugsFixed is { } bugs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"bugs fixed: {bugs.Titles.Count} of {bugs.Total}{(bugs.Titles.Count > 0 ? " (" + string.Join(", ", bugs.Titles) + ")" : "")}");
        }
        if (verdict.Seeds is { } seeds)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"seeds: public {seeds.Public}, hidden {seeds.Hidden} (re-run with --seed {seeds.Hidden})");
        }
        foreach (var d in verdict.Diagnostics)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {d.File}:{d.Line}:{d.Column}: {d.Id}: {d.Message}");
        }
        foreach (var t in verdict.Tests)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {(t.Passed ? "pass" : "FAIL")}  [{t.Visibility.ToString().ToLowerInvariant()}] {t.Id}: {t.Message}");
        }
        if (verdict.StaffConsole is { Length: > 0 } console)
        {
            text.AppendLine("console (all tests):").AppendLine(console);
        }
        text.Append(CultureInfo.InvariantCulture, $"timings: compile {verdict.Timings.CompileMs:F0} ms, runner {verdict.Timings.RunnerMs:F0} ms, wall {verdict.Timings.WallMs:F0} ms");
        return text.ToString();
    }
}
