using BugHunt.Cli;

return await Commands.RunAsync(args);
