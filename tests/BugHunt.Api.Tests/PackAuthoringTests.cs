using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Authoring;
using BugHunt.Core.Staff;
using BugHunt.Testing;
using Dapper;
using Xunit;

namespace BugHunt.Api.Tests;

/// <summary>Authors upload a pack, a grader validates it through the sandbox, and the author publishes it.</summary>
[Collection(ServerCollection.Name)]
public sealed class PackAuthoringTests(BugHuntServer server)
{
    /// <summary>The echo fixture under a pack id of its own, as relative path → text.</summary>
    public static SortedDictionary<string, string> EchoPack(string packId) => TestPacks.Echo(packId);

    public static byte[] TarGz(IEnumerable<(string Name, string Text)> files, Action<TarWriter>? extra = null)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, text) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
            extra?.Invoke(tar);
        }
        return output.ToArray();
    }

    private static byte[] Zip(Action<ZipArchive> write)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            write(zip);
        }
        return output.ToArray();
    }

    private static ByteArrayContent Body(byte[] bytes, string type = "application/gzip")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static string NewPackId() => "upload-" + Guid.NewGuid().ToString("N")[..8];

    [DockerFact]
    public async Task An_author_uploads_a_pack_a_grader_validates_it_and_the_author_publishes_it()
    {
        var (author, key) = await server.NewStaffAsync(StaffRole.Author);
        using var client = server.Staff(key);
        var packId = NewPackId();
        // Packed the way `tar czf pack.tar.gz lab/` packs a folder: under one top-level folder.
        var upload = await client.PostAsync("/api/admin/packs", Body(TarGz(EchoPack(packId).Select(f => ($"{packId}/{f.Key}", f.Value)))));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var queued = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var id = queued.GetProperty("id").GetGuid();
        Assert.Equal(packId, queued.GetProperty("pack").GetString());
        Assert.Equal($"/api/admin/packs/validations/{id}", upload.Headers.Location!.OriginalString);

        // Follow it live: progress lines, then the validation once a grader has finished it.
        var (lines, final) = await ReadEventsAsync(client, id, TimeSpan.FromMinutes(5));
        Assert.Contains(lines, l => l.Contains("started validating", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("reference run 1/3", StringComparison.Ordinal));
        Assert.True(final.GetProperty("passed").GetBoolean(), final.GetRawText());
        var report = final.GetProperty("report");
        Assert.Equal(packId, report.GetProperty("pack").GetString());
        var echo = report.GetProperty("challenges")[0];
        Assert.True(echo.GetProperty("reference_deterministic").GetBoolean());
        Assert.Equal("triples", echo.GetProperty("bugs")[0].GetProperty("id").GetString());
        Assert.True(echo.GetProperty("mutation").GetProperty("mutants").GetArrayLength() > 0);

        var published = await client.PostAsync($"/api/admin/packs/validations/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var body = await published.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(author, body.GetProperty("published_by").GetString());
        var version = Assert.Single(body.GetProperty("versions").EnumerateArray());
        Assert.True(version.GetProperty("new").GetBoolean());
        var versionId = version.GetProperty("version_id").GetGuid();

        var again = await client.PostAsync($"/api/admin/packs/validations/{id}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"published by {author}", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var pack = await client.GetFromJsonAsync<JsonElement>($"/api/admin/packs/{packId}");
        Assert.Equal(author, pack.GetProperty("published_by").GetString());
        Assert.Equal(id, pack.GetProperty("validation_id").GetGuid());
        Assert.Equal(versionId, pack.GetProperty("challenges")[0].GetProperty("versions")[0].GetProperty("id").GetGuid());

        var view = await client.GetFromJsonAsync<JsonElement>($"/api/admin/challenges/{packId}/echo/versions/{versionId}");
        Assert.Contains("x * 3", view.GetProperty("starter").GetProperty("Solution.cs").GetString(), StringComparison.Ordinal);
        Assert.Contains("x * 2", view.GetProperty("reference").GetProperty("Solution.cs").GetString(), StringComparison.Ordinal);
        Assert.Contains("-        return x * 2;\n+        return x * 3;", view.GetProperty("bugs")[0].GetProperty("diff").GetString(), StringComparison.Ordinal);

        var audit = await new AuditLog(server.Db, server.Clock).ListAsync(new AuditQuery(Actor: author), CancellationToken.None);
        Assert.Equal(["pack.publish", "pack.upload"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal($"pack:{packId}", a.Target));
    }

    [PostgresFact]
    public async Task Only_authors_and_admins_upload_and_publish()
    {
        foreach (var role in new[] { StaffRole.Recruiter, StaffRole.Proctor })
        {
            var (_, key) = await server.NewStaffAsync(role);
            using var client = server.Staff(key);
            var upload = await client.PostAsync("/api/admin/packs", Body(TarGz(EchoPack(NewPackId()).Select(f => (f.Key, f.Value)))));
            Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
            Assert.Contains("author", (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string> BadArchives() => new()
    {
        { "absolute", "/etc/passwd", "is an absolute path" },
        { "dotdot", "echo/../../outside.cs", "climbs out of the pack folder" },
        { "symlink", "echo/reference/Link.cs", "is a link" },
        { "hardlink", "echo/reference/Hard.cs", "is a link" },
        { "device", "echo/reference/dev", "is a device" },
        { "fifo", "echo/fifo", "is a named pipe" },
        { "outside-layout", "echo/notes.txt", "outside the pack layout" },
        { "binary", "echo/statement.md", "is not UTF-8 text" },
        { "too-many", "the 2001st entry", "at most 2000 entries" },
        { "bomb", "echo/statement.md", "past 50 MiB unpacked" },
        { "zip-symlink", "echo/reference/Link.cs", "is a link" },
        { "zip-dotdot", "../evil.cs", "climbs out of the pack folder" },
        { "not-an-archive", "", "neither a .tar.gz" },
    };

    [PostgresTheory]
    [MemberData(nameof(BadArchives))]
    public async Task A_bad_archive_is_refused_naming_its_entry_and_stores_nothing(string kind, string entry, string problem)
    {
        var (_, key) = await server.NewStaffAsync(StaffRole.Author);
        using var client = server.Staff(key);
        var pack = EchoPack(NewPackId()).Select(f => (f.Key, f.Value)).ToList();
        if (kind == "too-many")
        {
            entry = $"echo/probes/p{2000 - pack.Count}.csx";
        }
        byte[] archive = kind switch
        {
            "absolute" or "dotdot" or "outside-layout" => TarGz([.. pack, (entry, "x")]),
            "symlink" => TarGz(pack, t => t.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, entry) { LinkName = "/etc/passwd" })),
            "hardlink" => TarGz(pack, t => t.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, entry) { LinkName = "pack.yaml" })),
            "device" => TarGz(pack, t => t.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, entry) { DeviceMajor = 1, DeviceMinor = 3 })),
            "fifo" => TarGz(pack, t => t.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, entry))),
            "binary" => TarGz(pack, t => t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry) { DataStream = new MemoryStream([0xff, 0xfe, 0x00, 0xc3]) })),
            "too-many" => TarGz([.. pack, .. Enumerable.Range(0, 2001 - pack.Count).Select(i => ($"echo/probes/p{i}.csx", ""))]),
            // 60 MiB of zeros: a few hundred KiB compressed.
            "bomb" => TarGz(pack.Where(f => f.Key != entry), t => t.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry) { DataStream = new MemoryStream(new byte[60 * 1024 * 1024]) })),
            "zip-symlink" => Zip(z =>
            {
                foreach (var (name, text) in pack)
                {
                    using var w = new StreamWriter(z.CreateEntry(name).Open());
                    w.Write(text);
                }
                var link = z.CreateEntry(entry);
                link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
                using var l = new StreamWriter(link.Open());
                l.Write("/etc/passwd");
            }),
            "zip-dotdot" => Zip(z =>
            {
                using var w = new StreamWriter(z.CreateEntry(entry).Open());
                w.Write("class Evil {}");
            }),
            _ => Encoding.UTF8.GetBytes("id: not an archive\n"),
        };
        var before = await CountValidationsAsync();

        var response = await client.PostAsync("/api/admin/packs", Body(archive, kind.StartsWith("zip", StringComparison.Ordinal) ? "application/zip" : "application/gzip"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var refusal = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(entry, refusal.GetProperty("entry").GetString());
        Assert.Contains(problem, refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (entry.Length > 0)
        {
            Assert.Contains($"'{entry}'", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await CountValidationsAsync());
    }

    [PostgresFact]
    public async Task A_malformed_pack_is_refused_with_its_file_and_field_before_anything_is_queued()
    {
        var (_, key) = await server.NewStaffAsync(StaffRole.Author);
        using var client = server.Staff(key);
        var files = EchoPack(NewPackId());
        files["echo/challenge.yaml"] = files["echo/challenge.yaml"].Replace("visibility: hidden", "visibility: secret", StringComparison.Ordinal);
        var before = await CountValidationsAsync();

        var response = await client.PostAsync("/api/admin/packs", Body(TarGz(files.Select(f => (f.Key, f.Value)))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("echo/challenge.yaml", problem.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal("tests[1].visibility", problem.GetProperty("field").GetString());
        Assert.Equal(before, await CountValidationsAsync());
    }

    [DockerFact]
    public async Task A_validation_whose_grader_stopped_is_taken_up_again_by_another()
    {
        var store = new PackValidationStore(server.Db, TimeProvider.System);
        var packId = NewPackId();
        var id = await store.EnqueueAsync(packId, "taken over", EchoPack(packId), mutants: false, "tests", CancellationToken.None);
        // A grader claimed it and stopped: running, its lease already expired.
        await using (var connection = await server.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE pack_validations SET status = 'running', attempts = 1, lease_owner = 'stopped-grader', lease_expires_at = now() - interval '1 second' WHERE id = @id",
                new { id });
        }

        var done = await WaitAsync(store, id, TimeSpan.FromMinutes(3));

        Assert.True(done.Passed, done.Error);
        Assert.Equal(2, done.Attempts);
        var events = await store.EventsAsync(id, 0, CancellationToken.None);
        Assert.Contains(events, e => e.Message.Contains("started again (attempt 2", StringComparison.Ordinal));
        // Without mutants it proves the pack sound, but publishing needs the full validation.
        using var admin = server.Admin();
        var publish = await admin.PostAsync($"/api/admin/packs/validations/{id}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, publish.StatusCode);
        Assert.Contains("skipped the machine mutants", (await publish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_recruiter_creates_an_assessment_from_a_template_by_its_name()
    {
        var (_, key) = await server.NewStaffAsync(StaffRole.Recruiter);
        using var client = server.Staff(key);

        var created = await client.PostAsJsonAsync("/api/admin/assessments", new { template = "lab-screen/screen-90", name = "Screen from the template" }, BugHuntServer.Json);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var assessment = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Screen from the template", assessment.GetProperty("name").GetString());
        Assert.Equal(90, assessment.GetProperty("time_limit_minutes").GetInt32());
        Assert.Equal(420, assessment.GetProperty("pass_points").GetInt32());
        Assert.Equal(["numerics-warmup", "training-loop", "causal-attention", "tiny-gpt"],
            assessment.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("challenge_id").GetString()));

        var unknown = await client.PostAsJsonAsync("/api/admin/assessments", new { template = "lab-screen/nope" }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("not an assessment template", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<long> CountValidationsAsync()
    {
        await using var connection = await server.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pack_validations");
    }

    private static async Task<PackValidation> WaitAsync(PackValidationStore store, Guid id, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await store.GetAsync(id, CancellationToken.None) is { Status: ValidationStatus.Done } done)
            {
                return done;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"validation {id} did not finish within {timeout}");
    }

    /// <summary>Reads the validation's event stream to its end: the progress lines and the final validation.</summary>
    public static async Task<(List<string> Lines, JsonElement Validation)> ReadEventsAsync(HttpClient client, Guid id, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var stream = await client.GetStreamAsync($"/api/admin/packs/validations/{id}/events", cts.Token);
        var lines = new List<string>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(cts.Token))
        {
            var data = JsonDocument.Parse(item.Data).RootElement.Clone();
            if (item.EventType == "validation")
            {
                return (lines, data);
            }
            Assert.Equal("progress", item.EventType);
            lines.Add(data.GetProperty("message").GetString()!);
        }
        throw new InvalidDataException("the stream ended without the validation");
    }
}

/// <summary>Submissions of one version graded again against another: a diff a recruiter applies or discards.</summary>
[Collection(ServerCollection.Name)]
public sealed class RejudgeTests(BugHuntServer server)
{
    [DockerFact]
    public async Task A_rejudge_shows_what_would_change_and_applying_it_keeps_both_verdicts()
    {
        var packId = "rejudge-" + Guid.NewGuid().ToString("N")[..8];
        var store = new BugHunt.Core.Packs.ChallengeStore(server.Db, TimeProvider.System);
        var v1Files = PackAuthoringTests.EchoPack(packId);
        Guid v1;
        using (var loaded = PackFiles.Load(v1Files))
        {
            v1 = (await store.ImportAsync(loaded.Pack, CancellationToken.None)).Single().VersionId;
        }
        var assessment = await server.CreateAssessmentAsync(new { name = "rejudged", levels = new[] { new { pack = packId, challenge = "echo", points = 100 } } });
        var (tripler, trSession) = await server.OpenAsync(await server.InviteAsync(assessment));
        var (doubler, _) = await server.OpenAsync(await server.InviteAsync(assessment));
        var reference = v1Files["echo/reference/Solution.cs"];
        var starter = reference.Replace("x * 2", "x * 3", StringComparison.Ordinal);
        var tripled = await server.SubmitAsync(tripler, new Dictionary<string, string> { ["Solution.cs"] = starter });
        var doubled = await server.SubmitAsync(doubler, new Dictionary<string, string> { ["Solution.cs"] = reference });
        Assert.Equal("wrong_answer", (await BugHuntServer.VerdictAsync(tripler, tripled)).GetProperty("verdict").GetString());
        Assert.Equal("accepted", (await BugHuntServer.VerdictAsync(doubler, doubled)).GetProperty("verdict").GetString());

        // Version 2 says the task was to triple all along: the reference and the planted bug trade places.
        var v2Files = new SortedDictionary<string, string>(v1Files, StringComparer.Ordinal)
        {
            ["echo/reference/Solution.cs"] = starter,
            ["echo/bugs/triples.diff"] = v1Files["echo/bugs/triples.diff"].Replace("-        return x * 2;\n+        return x * 3;", "-        return x * 3;\n+        return x * 2;", StringComparison.Ordinal),
        };
        Guid v2;
        using (var loaded = PackFiles.Load(v2Files))
        {
            v2 = (await store.ImportAsync(loaded.Pack, CancellationToken.None)).Single().VersionId;
        }

        var (author, authorKey) = await server.NewStaffAsync(StaffRole.Author);
        var (recruiter, recruiterKey) = await server.NewStaffAsync(StaffRole.Recruiter);
        using var authorClient = server.Staff(authorKey);
        using var recruiterClient = server.Staff(recruiterKey);
        var started = await authorClient.PostAsJsonAsync("/api/admin/rejudges", new { from_version = v1, to_version = v2 }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var rejudge = await WaitCompleteAsync(authorClient, id);
        Assert.Equal(2, rejudge.GetProperty("total").GetInt32());
        Assert.Equal(0, rejudge.GetProperty("unchanged").GetInt32());
        var changes = rejudge.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("submission_id").GetGuid());
        Assert.Equal(("wrong_answer", "accepted"), (changes[tripled].GetProperty("old_verdict").GetString(), changes[tripled].GetProperty("new_verdict").GetString()));
        Assert.Equal(("accepted", "wrong_answer"), (changes[doubled].GetProperty("old_verdict").GetString(), changes[doubled].GetProperty("new_verdict").GetString()));
        // Nothing has changed for the candidates yet, and the regrades are not theirs to see.
        var list = await BugHuntServer.AllItemsAsync(tripler, "/api/session/submissions");
        Assert.Equal([tripled], list.Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal("wrong_answer", list[0].GetProperty("verdict").GetString());

        var byAuthor = await authorClient.PostAsync($"/api/admin/rejudges/{id}/apply", null);
        Assert.Equal(HttpStatusCode.Forbidden, byAuthor.StatusCode);
        var applied = await recruiterClient.PostAsync($"/api/admin/rejudges/{id}/apply", null);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var body = await applied.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("applied", recruiter), (body.GetProperty("state").GetString(), body.GetProperty("decided_by").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await recruiterClient.PostAsync($"/api/admin/rejudges/{id}/discard", null)).StatusCode);

        var after = await tripler.GetFromJsonAsync<JsonElement>($"/api/session/submissions/{tripled}");
        Assert.Equal("accepted", after.GetProperty("verdict").GetString());
        var level = (await tripler.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("levels")[0];
        Assert.Equal("passed", level.GetProperty("state").GetString());
        var doublerLevel = (await doubler.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("levels")[0];
        Assert.NotEqual("passed", doublerLevel.GetProperty("state").GetString());
        var history = await new RejudgeStore(server.Db, TimeProvider.System).HistoryAsync(trSession, CancellationToken.None);
        var entry = Assert.Single(history);
        Assert.Equal((tripled, "wrong_answer", "accepted", v1, recruiter), (entry.SubmissionId, entry.PreviousVerdict, entry.NewVerdict, entry.PreviousVersion, entry.AppliedBy));
        // The candidate's report keeps both: the submission as it is now, and what it was before the rejudge.
        var report = await recruiterClient.GetFromJsonAsync<JsonElement>($"/api/admin/sessions/{trSession}/report");
        var kept = Assert.Single(report.GetProperty("rejudgements").EnumerateArray());
        Assert.Equal(("wrong_answer", 0.0, "accepted"), (kept.GetProperty("previous_verdict").GetString(), kept.GetProperty("previous_score").GetDouble(), kept.GetProperty("new_verdict").GetString()));
        Assert.Equal("accepted", report.GetProperty("submissions").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == tripled).GetProperty("verdict").GetString());

        var audit = await new AuditLog(server.Db, server.Clock).ListAsync(new AuditQuery(Target: $"rejudge:{id}"), CancellationToken.None);
        Assert.Equal([("rejudge.apply", recruiter), ("rejudge.start", author)], audit.Where(a => a.Action.StartsWith("rejudge.", StringComparison.Ordinal)).Select(a => (a.Action, a.Actor)));
    }

    [PostgresFact]
    public async Task A_rejudge_across_challenges_or_without_submissions_is_refused()
    {
        using var admin = server.Admin();
        var across = await admin.PostAsJsonAsync("/api/admin/rejudges", new { from_version = server.AttentionVersion, to_version = server.NumericsVersion }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, across.StatusCode);
        Assert.Contains("stays within one challenge", (await across.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var same = await admin.PostAsJsonAsync("/api/admin/rejudges", new { from_version = server.AttentionVersion, to_version = server.AttentionVersion }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        var missing = await admin.PostAsJsonAsync("/api/admin/rejudges", new { from_version = Guid.NewGuid(), to_version = server.AttentionVersion }, BugHuntServer.Json);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    private static async Task<JsonElement> WaitCompleteAsync(HttpClient client, Guid id)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < until)
        {
            var rejudge = await client.GetFromJsonAsync<JsonElement>($"/api/admin/rejudges/{id}");
            if (rejudge.GetProperty("complete").GetBoolean())
            {
                return rejudge;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"rejudge {id} was not graded within 3 minutes");
    }
}
