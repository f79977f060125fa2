using System.Globalization;
using BugHunt.Core.Assessments;
using CsvHelper;

namespace BugHunt.Api.Admin;

/// <summary>
/// An assessment's results as CSV (README, "Exporting results"): RFC 4180 through CsvHelper,
/// invariant culture, CRLF rows, one header row whose columns keep their order (the fixed ones, then
/// per level state, points, minutes, attempts, notes). Text a candidate typed (name, email, notes),
/// and the flags that may quote it, can open as a formula in a spreadsheet, so CsvHelper escapes a text
/// field starting with =, +, -, @, tab or CR with a leading apostrophe (OWASP's CSV injection advice);
/// numbers and times are written as numbers and times, so a negative score stays a number.
/// </summary>
internal static class ResultsCsv
{
    private static readonly CsvWriterOptions Format = new()
    {
        NewLine = "\r\n",
        FormatProvider = CultureInfo.InvariantCulture,
        Injection = CsvInjection.Escape,
        InjectionEscape = '\'',
    };

    private static readonly string[] Fixed =
        ["session_id", "candidate", "email", "status", "started_at", "finished_at", "score", "max_points", "pass_points", "passed", "levels_passed", "submissions", "flags"];

    public static string Write(Assessment assessment, IReadOnlyList<SessionReport> reports)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Format, leaveOpen: true))
        {
            csv.WriteHeader([.. Fixed, .. assessment.Levels.SelectMany(l => LevelColumns(l.Position))]);
            foreach (var r in reports)
            {
                var s = r.Session;
                csv.WriteField(s.Id, "D");
                csv.WriteField(s.Candidate ?? "");
                csv.WriteField(s.Email ?? "");
                csv.WriteField(s.Status);
                WriteTime(csv, s.StartedAt);
                WriteTime(csv, s.FinishedAt);
                WriteNumber(csv, r.Score.Total);
                csv.WriteField(assessment.MaxPoints, "");
                csv.WriteField(assessment.PassPoints, "");
                csv.WriteField(r.Score.Passed ? "true" : "false");
                csv.WriteField(s.LevelsPassed, "");
                csv.WriteField(s.Submissions, "");
                csv.WriteField(string.Join("; ", r.Flags));
                // One group per level of the assessment, in its order, so the columns line up with the header.
                foreach (var level in assessment.Levels)
                {
                    var score = r.Score.Levels.FirstOrDefault(l => l.Position == level.Position);
                    csv.WriteField(score?.State ?? "");
                    WriteNumber(csv, score?.Earned);
                    WriteNumber(csv, score?.Minutes);
                    csv.WriteField(score?.Attempts, "");
                    csv.WriteField(r.Notes.GetValueOrDefault(level.Position) ?? "");
                }
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    private static readonly string[] LevelFields = ["state", "points", "minutes", "attempts", "notes"];

    private static IEnumerable<string> LevelColumns(int position) => LevelFields.Select(c => $"level{position}_{c}");

    private static void WriteNumber(CsvWriter csv, double? v) => csv.WriteField(v, "0.##");

    private static void WriteTime(CsvWriter csv, DateTime? t) => csv.WriteField(t, "yyyy-MM-ddTHH:mm:ssZ");
}
