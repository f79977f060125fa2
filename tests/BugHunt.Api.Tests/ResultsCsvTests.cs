using System.Net;
using System.Net.Http.Json;
using BugHunt.Testing;
using CsvHelper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>
/// The results export read back as a spreadsheet or a script would: by a CSV parser (CsvHelper's
/// reader), never by splitting lines, so quoting, newlines and alignment are what is tested.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ResultsCsvTests(BugHuntServer server)
{
    private static readonly string[] Header =
    [
        "session_id", "candidate", "email", "status", "started_at", "finished_at", "score", "max_points", "pass_points", "passed", "levels_passed",
        "submissions", "flags", "level1_state", "level1_points", "level1_minutes", "level1_attempts", "level1_notes",
    ];

    [PostgresFact]
    public async Task Names_emails_and_notes_with_commas_quotes_newlines_and_formulas_come_back_exactly_and_aligned()
    {
        const string Name = "=HYPERLINK(\"http://x\", \"Ada, \"\"the\"\" Countess\")";
        const string Email = "ada,\"lovelace\"@example.com";
        const string Note = "Softmax, \"stable\"\nLogSumExp overflows; row max\r\nfixes it";
        const string FormulaNote = "@SUM(A1:A9), then \"done\"";
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "csv " + Guid.NewGuid().ToString("N")[..6],
            levels = new[] { new { pack = "lab-screen", challenge = "causal-attention", points = 100 } },
            max_points = 250,
            pass_points = 100,
        });
        var (ada, adaSession) = await server.OpenAsync(await server.InviteAsync(assessment, new { candidate = Name, email = Email }));
        Assert.Equal(HttpStatusCode.NoContent, (await ada.PutAsJsonAsync("/api/session/levels/1/notebook", new { notes = Note }, BugHuntServer.Json)).StatusCode);
        var (bob, bobSession) = await server.OpenAsync(await server.InviteAsync(assessment, new { candidate = "-Bob", email = "+bob@example.com" }));
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsJsonAsync("/api/session/levels/1/notebook", new { notes = FormulaNote }, BugHuntServer.Json)).StatusCode);
        ada.Dispose();
        bob.Dispose();

        using var admin = server.Admin();
        var response = await admin.GetAsync($"/api/admin/assessments/{assessment}/results.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(Header, rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(Header.Length, r.Length));
        var byId = rows.Skip(1).ToDictionary(r => Guid.Parse(r[0]));
        string Cell(Guid session, string column) => byId[session][Array.IndexOf(Header, column)];

        // A cell a spreadsheet would run as a formula starts with an apostrophe; the rest is as typed.
        Assert.Equal("'" + Name, Cell(adaSession, "candidate"));
        Assert.Equal(Email, Cell(adaSession, "email"));
        Assert.Equal(Note, Cell(adaSession, "level1_notes"));
        Assert.Equal("'-Bob", Cell(bobSession, "candidate"));
        Assert.Equal("'+bob@example.com", Cell(bobSession, "email"));
        Assert.Equal("'" + FormulaNote, Cell(bobSession, "level1_notes"));
        // The columns after the free text are still where the header says.
        Assert.All(new[] { adaSession, bobSession }, s =>
        {
            Assert.Equal("in_progress", Cell(s, "status"));
            Assert.Equal("250", Cell(s, "max_points"));
            Assert.Equal("100", Cell(s, "pass_points"));
            Assert.Equal("false", Cell(s, "passed"));
            Assert.Equal("0", Cell(s, "level1_attempts"));
        });
    }

    [PostgresFact]
    public async Task Header_names_every_level_in_order_even_with_no_sessions()
    {
        var assessment = await server.CreateAssessmentAsync(new
        {
            name = "csv header " + Guid.NewGuid().ToString("N")[..6],
            levels = new[]
            {
                new { pack = "lab-screen", challenge = "causal-attention", points = 100 },
                new { pack = "lab-screen", challenge = "numerics-warmup", points = 100 },
            },
        });
        using var admin = server.Admin();
        var rows = Parse(await admin.GetStringAsync($"/api/admin/assessments/{assessment}/results.csv"));
        var level2 = new[] { "level2_state", "level2_points", "level2_minutes", "level2_attempts", "level2_notes" };
        Assert.Equal(Header.Concat(level2), Assert.Single(rows));
    }

    private static List<string[]> Parse(string csv)
    {
        // The header is read as a record too, to compare it column by column.
        using var reader = CsvReader.Create(new StringReader(csv), new CsvReaderOptions { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Current.ToArray());
        }
        return rows;
    }
}
