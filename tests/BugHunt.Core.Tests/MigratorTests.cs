using BugHunt.Core.Database;
using BugHunt.Testing;
using Dapper;
using Npgsql;
using Xunit;

namespace BugHunt.Core.Tests;

public sealed class MigratorTests
{
    [Fact]
    public void Embedded_migrations_are_numbered_in_order_from_one()
    {
        var migrations = Migrator.Embedded();
        Assert.NotEmpty(migrations);
        Assert.Equal(1, migrations[0].Version);
        // Numbers are reserved per change while several are under way, so one may be missing until its
        // change lands; the migrator applies in number order, and what breaks it is a number used twice.
        Assert.All(migrations.Zip(migrations.Skip(1)), pair => Assert.True(pair.First.Version < pair.Second.Version, $"{pair.First.Version:D4} then {pair.Second.Version:D4}"));
    }

    [PostgresFact]
    public async Task Migrations_apply_once_and_an_edited_applied_migration_is_refused()
    {
        var (schema, db) = await FreshSchemaAsync();
        await using var _ = db;
        var first = new[] { new Migration(1, "things", "CREATE TABLE things (id int PRIMARY KEY)"), new Migration(2, "more", "ALTER TABLE things ADD COLUMN name text") };

        Assert.Equal([1, 2], await Migrator.MigrateAsync(db, first, CancellationToken.None));
        Assert.Empty(await Migrator.MigrateAsync(db, first, CancellationToken.None));
        await using (var c = await db.OpenConnectionAsync())
        {
            Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }

        var edited = new[] { first[0], new Migration(2, "more", "ALTER TABLE things ADD COLUMN label text") };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator.MigrateAsync(db, edited, CancellationToken.None));
        Assert.Contains("0002_more was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_failing_migration_leaves_nothing_behind()
    {
        var (schema, db) = await FreshSchemaAsync();
        await using var _ = db;
        var broken = new[] { new Migration(1, "half", "CREATE TABLE half (id int); SELECT no_such_function()") };

        await Assert.ThrowsAsync<PostgresException>(() => Migrator.MigrateAsync(db, broken, CancellationToken.None));
        await using var c = await db.OpenConnectionAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        Assert.Null(await c.ExecuteScalarAsync<string?>($"SELECT to_regclass('{schema}.half')::text"));
    }

    /// <summary>A schema of its own, so each test sees only its own migrations table.</summary>
    private static async Task<(string Schema, NpgsqlDataSource Db)> FreshSchemaAsync()
    {
        var schema = "mig_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = NpgsqlDataSource.Create(TestEnvironment.DatabaseUrl))
        {
            await admin.CreateCommand($"CREATE SCHEMA {schema}").ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.DatabaseUrl) { SearchPath = schema };
        return (schema, NpgsqlDataSource.Create(builder.ConnectionString));
    }
}
