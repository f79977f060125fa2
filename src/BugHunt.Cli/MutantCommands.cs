using System.CommandLine;
using BugHunt.Core.Mutants;
using BugHunt.Core.Packs;

namespace BugHunt.Cli;

/// <summary>
/// `bughunt pack mutants`: lists a challenge's machine mutants and writes their files, so an author
/// can grade a survivor with `bughunt grade` while writing the test that kills it.
/// </summary>
internal static class MutantCommands
{
    public static Command Mutants()
    {
        var dir = new Argument<string>("dir") { Description = "the pack's directory" };
        var challenge = new Argument<string>("challenge") { Description = "the challenge's id" };
        var write = Invocation.Word("--write", "DIR", "write each mutant's editable files to DIR/<mutant id>/");
        var id = Invocation.Word("--id", "ID", "list (and write) this mutant only");
        var command = new Command("mutants", "list the machine mutants of a challenge; write their files to grade one")
        {
            dir, challenge, write, id,
        };
        command.SetRun(parse => Run(
            parse.GetRequiredValue(dir), parse.GetRequiredValue(challenge), parse.GetValue(id), parse.GetValue(write)));
        return command;
    }

    private static int Run(string packDir, string challengeId, string? only, string? target)
    {
        var pack = PackLoader.Load(packDir);
        var challenge = pack.Challenges.FirstOrDefault(c => c.Id == challengeId)
            ?? throw new UsageException($"pack '{pack.Id}' has no challenge '{challengeId}' (it has {string.Join(", ", pack.Challenges.Select(c => c.Id))})");
        var mutants = Mutator.Generate(challenge.ReferenceFiles, challenge.Editable);
        var chosen = only is null ? mutants.ToList() : mutants.Where(m => m.Id == only).ToList();
        if (only is not null && chosen.Count == 0)
        {
            throw new UsageException($"{pack.Id}/{challengeId} has no mutant '{only}'");
        }
        foreach (var mutant in chosen)
        {
            Console.WriteLine($"{mutant.Id}\t{mutant.File}:{mutant.Line}\t{mutant.Description}");
            if (target is null)
            {
                continue;
            }
            var dir = Path.Combine(target, string.Concat(mutant.Id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')));
            Directory.CreateDirectory(dir);
            foreach (var file in challenge.Editable)
            {
                File.WriteAllText(Path.Combine(dir, file), mutant.Files[file]);
            }
        }
        return 0;
    }
}
