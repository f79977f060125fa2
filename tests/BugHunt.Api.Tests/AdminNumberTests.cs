using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Numbers the admin API takes must be finite JSON numbers: NaN and infinities, quoted or not, are a 400 naming the field.</summary>
[Collection(ServerCollection.Name)]
public sealed class AdminNumberTests(BugHuntServer server)
{
    private static readonly string[] NonFinite = ["\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "Infinity", "1e999", "-1e999"];

    public static TheoryData<string, string> InviteNumbers() => Cases("expires_in_hours", "extra_minutes");

    public static TheoryData<string, string> AssessmentNumbers() =>
        Cases("time_limit_minutes", "max_points", "pass_points", "levels[0].points", "levels[0].pass_threshold");

    private static TheoryData<string, string> Cases(params string[] fields)
    {
        var data = new TheoryData<string, string>();
        foreach (var field in fields)
        {
            foreach (var value in NonFinite)
            {
                data.Add(field, value);
            }
        }
        return data;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var detail = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("detail").GetString()!;
        Assert.Contains(field, detail, StringComparison.Ordinal);
    }

    [PostgresTheory]
    [MemberData(nameof(InviteNumbers))]
    public async Task Non_finite_invite_number_is_a_400_naming_the_field_and_creates_no_invite(string field, string value)
    {
        var assessment = await server.CreateAssessmentAsync();
        using var admin = server.Admin();

        var response = await admin.PostAsync($"/api/admin/assessments/{assessment}/invites", Json($$"""{"candidate": "Ada", "{{field}}": {{value}}}"""));

        await AssertRefusedAsync(response, field);
        await using var connection = await server.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM invites WHERE assessment_id = @assessment", new { assessment }));
    }

    [PostgresTheory]
    [MemberData(nameof(AssessmentNumbers))]
    public async Task Non_finite_assessment_number_is_a_400_naming_the_field_and_creates_no_assessment(string field, string value)
    {
        var name = "numbers " + Guid.NewGuid().ToString("N");
        var inLevel = field.StartsWith("levels[0].", StringComparison.Ordinal);
        var level = inLevel ? $"\"{field["levels[0].".Length..]}\": {value}" : "\"points\": 100";
        var threshold = field == "levels[0].pass_threshold" ? "" : ", \"pass_threshold\": 0.8";
        var top = inLevel ? "" : $", \"{field}\": {value}";
        var body = $$"""{"name": "{{name}}", "levels": [{"pack": "lab-screen", "challenge": "causal-attention", "pass_rule": "score"{{threshold}}, {{level}}}]{{top}}}""";
        using var admin = server.Admin();

        var response = await admin.PostAsync("/api/admin/assessments", Json(body));

        await AssertRefusedAsync(response, field);
        await using var connection = await server.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM assessments WHERE name = @name", new { name }));
    }

    [PostgresFact]
    public async Task Named_number_in_quotes_is_explained_as_not_a_finite_number()
    {
        var assessment = await server.CreateAssessmentAsync();
        using var admin = server.Admin();

        var response = await admin.PostAsync($"/api/admin/assessments/{assessment}/invites", Json("""{"expires_in_hours": "NaN"}"""));

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("expires_in_hours has a value of the wrong type. Numbers must be finite JSON numbers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
