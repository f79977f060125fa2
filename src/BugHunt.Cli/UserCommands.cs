using System.CommandLine;
using System.Globalization;
using BugHunt.Core.Database;
using BugHunt.Core.Staff;

namespace BugHunt.Cli;

/// <summary>
/// `bughunt users add|list|revoke`: staff accounts, for whoever runs BugHunt (they hold the database).
/// The audit log names the actor as the CLI and the operating-system user who ran it.
/// </summary>
internal static class UserCommands
{
    public static Command Users() => new("users", "staff accounts: add one with a role (it prints the API key once), list them, revoke a key")
    {
        Add(),
        List(),
        Revoke(),
    };

    private static StaffActor Actor => new($"cli ({Environment.UserName})", StaffRole.Admin);

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = $"the user's name: {StaffStore.NameRule}" };
        var role = new Option<StaffRole>("--role")
        {
            Description = "what the user may do: admin (everything), author (packs), recruiter (assessments, invites, results), proctor (sessions, reports, snapshots, similarity)",
            HelpName = "admin|author|recruiter|proctor",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
                if (StaffRoles.Parse(text) is { } parsed)
                {
                    return parsed;
                }
                result.AddError($"--role takes {StaffRoles.Sentence(StaffRoles.All)}, got '{text}'");
                return default;
            },
        };
        var command = new Command("add", "add a staff user with a role and print their API key (shown this once)") { name, role };
        command.SetRun((parse, context, ct) => AddAsync(parse.GetRequiredValue(name), parse.GetRequiredValue(role), context, ct));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "list staff users: name, role, created, last used, revoked (never their keys)");
        command.SetRun((_, context, ct) => ListAsync(context, ct));
        return command;
    }

    private static Command Revoke()
    {
        var name = new Argument<string>("name") { Description = "the user whose key to revoke" };
        var command = new Command("revoke", "revoke a staff user's key for good (the user stays listed)") { name };
        command.SetRun((parse, context, ct) => RevokeAsync(parse.GetRequiredValue(name), context, ct));
        return command;
    }

    private static async Task<StaffStore> StoreAsync(Npgsql.NpgsqlDataSource db, CommandContext context, CancellationToken ct)
    {
        await Migrator.MigrateAsync(db, Migrator.Embedded(), ct);
        return new StaffStore(db, new AuditLog(db, context.Clock), context.Clock);
    }

    private static async Task<int> AddAsync(string name, StaffRole role, CommandContext context, CancellationToken ct)
    {
        if (!StaffStore.IsValidName(name))
        {
            throw new UsageException($"'{name}' is not a user name: a name is {StaffStore.NameRule}");
        }
        await using var db = context.OpenDatabase();
        var staff = await StoreAsync(db, context, ct);
        if (await staff.AddAsync(name, role, Actor, ct) is not { } added)
        {
            var existing = await staff.GetAsync(name, ct);
            return Fail(existing?.RevokedAt is { } revoked
                ? $"there is already a user {existing.Name} (revoked on {Time(revoked)}); names are not reused, choose another"
                : $"there is already a user {existing?.Name ?? name} ({existing?.Role.Name()}); choose another name");
        }
        // The key alone on stdout, so that KEY=$(bughunt users add ...) takes just the key.
        Console.Error.WriteLine($"added {added.User.Name} ({role.Name()}). Their API key follows; it will not be shown again (BugHunt keeps only its hash):");
        Console.WriteLine(added.Key);
        return 0;
    }

    private static async Task<int> ListAsync(CommandContext context, CancellationToken ct)
    {
        await using var db = context.OpenDatabase();
        var users = (await (await StoreAsync(db, context, ct)).ListAsync(PageRequest.All, ct)).Items;
        if (users.Count == 0)
        {
            Console.WriteLine("no staff users yet: add one with `bughunt users add <name> --role <role>`");
            return 0;
        }
        var rows = users.Select(u => new[] { u.Name, u.Role.Name(), Time(u.CreatedAt), u.LastUsedAt is { } used ? Time(used) : "never", u.RevokedAt is { } r ? Time(r) : "-" }).ToList();
        string[] header = ["NAME", "ROLE", "CREATED (UTC)", "LAST USED", "REVOKED"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
        return 0;
    }

    private static async Task<int> RevokeAsync(string name, CommandContext context, CancellationToken ct)
    {
        await using var db = context.OpenDatabase();
        var (outcome, user) = await (await StoreAsync(db, context, ct)).RevokeAsync(name, Actor, ct);
        switch (outcome)
        {
            case RevokeOutcome.Revoked:
                Console.WriteLine($"revoked {user!.Name}'s key ({user.Role.Name()}); requests with it now get 401");
                return 0;
            case RevokeOutcome.AlreadyRevoked:
                return Fail($"{user!.Name}'s key was already revoked on {Time(user.RevokedAt!.Value)}");
            default:
                return Fail($"there is no staff user {name} (`bughunt users list` shows them)");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"bughunt: {message}");
        return 1;
    }

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
