using BugHunt.Api.Hosting;

var app = BugHuntApi.Build(args);
await app.RunAsync();

public partial class Program;
