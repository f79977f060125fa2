using System.CommandLine;
using BugHunt.Cli;

// The `bughunt` command. Each command declares its arguments and options next to the code that runs it.
var root = new RootCommand("""
    BugHunt: a self-hosted judge for ML-debugging assessments.

    Environment:
      BUGHUNT_DATABASE        PostgreSQL connection string (required)
      BUGHUNT_SANDBOX_IMAGE   sandbox image tag (default bughunt-sandbox:latest)
    """)
{
    ServerCommands.Serve(),
    ServerCommands.Grader(),
    ServerCommands.Migrate(),
    UserCommands.Users(),
    new Command("pack", "author a challenge pack: import, validate, convert, run its starting notebook, list its machine mutants")
    {
        ServerCommands.PackImport(),
        PackCommands.Validate(),
        PackCommands.Convert(),
        NotebookCommand.Notebook(),
        MutantCommands.Mutants(),
    },
    PackCommands.Grade(),
    BenchCommand.Bench(),
    LoadCommand.Load(),
    ChaosCommand.Chaos(),
};
return await Invocation.RunAsync(root, args);
