using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace BugHunt.Core.Database;

public static class BugHuntDatabase
{
    /// <summary>Environment variable holding the PostgreSQL connection string.</summary>
    public const string ConnectionStringVariable = "BUGHUNT_DATABASE";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    static BugHuntDatabase() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public static NpgsqlDataSource Open(string connectionString)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        return NpgsqlDataSource.Create(connectionString);
    }
}
