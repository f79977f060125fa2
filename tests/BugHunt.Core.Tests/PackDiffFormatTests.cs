using BugHunt.Core.Packs;
using BugHunt.Testing;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>Planted bugs and wrong fixes written once, as diffs against the reference; the starter derived from them.</summary>
public sealed class PackDiffFormatTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("bughunt-diff-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static readonly string[] OneFile = ["A.cs"];

    [Theory]
    [InlineData("one\ntwo\nthree\n", "one\n2\nthree\n")]
    [InlineData("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n", "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nN\n")]
    [InlineData("no final newline", "no final newline, changed")]
    [InlineData("x\ny\n", "x\ny")]
    [InlineData("x\ny", "x\ny\n")]
    [InlineData("first\n", "inserted\nfirst\n")]
    [InlineData("first\nlast\n", "first\n")]
    [InlineData("a\n\nb\n", "a\n\nc\n")]
    public void A_written_diff_applies_back_to_the_same_text(string before, string after)
    {
        var diff = UnifiedDiff.Write("A.cs", before, after);
        var hunks = UnifiedDiff.Parse(diff, "d", OneFile);
        var applied = UnifiedDiff.Apply(new Dictionary<string, string> { ["A.cs"] = before }, "reference", hunks.Select(h => ("d", h)));
        Assert.Equal(after, applied["A.cs"]);
    }

    [Fact]
    public void Diffs_of_separate_lines_apply_together_to_the_same_base()
    {
        var reference = new Dictionary<string, string> { ["A.cs"] = "1\n2\n3\n4\n5\n6\n" };
        var first = UnifiedDiff.Parse(UnifiedDiff.Write("A.cs", reference["A.cs"], "1\nTWO\n3\n4\n5\n6\n"), "first", OneFile);
        var second = UnifiedDiff.Parse(UnifiedDiff.Write("A.cs", reference["A.cs"], "1\n2\n3\nFOUR\n5\n6\n"), "second", OneFile);

        var both = UnifiedDiff.Apply(reference, "reference", first.Select(h => ("first", h)).Concat(second.Select(h => ("second", h))));

        Assert.Equal("1\nTWO\n3\nFOUR\n5\n6\n", both["A.cs"]);
    }

    [Theory]
    [InlineData("1\nTWO\n3\n4\n", "1\nDEUX\n3\n4\n")]
    [InlineData("1\n2\nnew\n3\n4\n", "1\n2\nautre\n3\n4\n")]
    [InlineData("1\n2\nTHREE\n4\n", "1\n2\n4\n")]
    public void Two_diffs_that_change_the_same_lines_are_refused_naming_both(string a, string b)
    {
        var reference = new Dictionary<string, string> { ["A.cs"] = "1\n2\n3\n4\n" };
        var first = UnifiedDiff.Parse(UnifiedDiff.Write("A.cs", reference["A.cs"], a), "bugs/first.diff", OneFile);
        var second = UnifiedDiff.Parse(UnifiedDiff.Write("A.cs", reference["A.cs"], b), "bugs/second.diff", OneFile);
        var error = Assert.Throws<PackFormatException>(() =>
            UnifiedDiff.Apply(reference, "reference", first.Select(h => ("bugs/first.diff", h)).Concat(second.Select(h => ("bugs/second.diff", h)))));

        Assert.Contains("bugs/", error.File, StringComparison.Ordinal);
        Assert.Contains("each variant must change lines of its own", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--- a/A.cs\n+++ b/A.cs\n@@ -2 +2 @@\n-zwei\n+two\n", "line 2 is '2', the diff expects 'zwei'")]
    [InlineData("--- a/A.cs\n+++ b/A.cs\n@@ -9 +9 @@\n-9\n+nine\n", "it expects line 9, and the file has 3 lines")]
    [InlineData("--- a/A.cs\n+++ b/A.cs\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n", "ends early")]
    [InlineData("--- a/B.cs\n+++ b/B.cs\n@@ -1 +1 @@\n-1\n+one\n", "'B.cs', which is not one of the editable files")]
    [InlineData("--- /dev/null\n+++ b/A.cs\n@@ -0,0 +1 @@\n+1\n", "creates a file")]
    [InlineData("--- a/A.cs\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-1\n-2\n-3\n", "deletes A.cs")]
    [InlineData("@@ -1 +1 @@\n-1\n+one\n", "a hunk before any '--- <file>' header")]
    [InlineData("--- a/A.cs\n+++ b/A.cs\n@@ -1 +1 @@\n 1\n", "changes nothing")]
    [InlineData("--- a/A.cs\n+++ b/A.cs\n@@ -1,2 +1,2 @@\n 1\n*2\n", "has a line starting with '*'")]
    [InlineData("--- a/A.cs\n+++ b/A.cs\n@@ -2 +2 @@\n-2\n+two\n@@ -1 +1 @@\n-1\n+one\n", "hunks come in line order")]
    public void A_diff_that_does_not_fit_says_where_and_why(string diff, string problem)
    {
        var error = Assert.Throws<PackFormatException>(() =>
        {
            var hunks = UnifiedDiff.Parse(diff, "bugs/x.diff", OneFile);
            UnifiedDiff.Apply(new Dictionary<string, string> { ["A.cs"] = "1\n2\n3\n" }, "reference", hunks.Select(h => ("bugs/x.diff", h)));
        });
        Assert.Equal("bugs/x.diff", error.File);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_starter_is_the_reference_with_every_planted_bug()
    {
        var pack = PackLoader.Load(TestPacks.LabScreen);
        foreach (var challenge in pack.Challenges.Where(c => c.Id != "training-loop"))
        {
            var expected = UnifiedDiff.Apply(challenge.ReferenceFiles, "reference", challenge.Bugs.SelectMany(b => b.Hunks.Select(h => (b.Id, h))));
            Assert.All(challenge.ReferenceFiles.Keys, name =>
                Assert.Equal(expected.GetValueOrDefault(name, challenge.ReferenceFiles[name]), challenge.StarterFiles[name]));
            Assert.All(challenge.Bugs, b => Assert.NotEqual(challenge.ReferenceFiles[b.Files.Keys.Single()], b.Files.Values.Single()));
        }
    }

    [Fact]
    public void Starter_diff_may_change_comments_only()
    {
        var copy = CopyTrainingLoop();
        var starterDiff = Path.Combine(copy, "training-loop", PackLoader.StarterDiffFile);
        var text = File.ReadAllText(starterDiff);
        Assert.Contains("-                // Each micro-batch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("// Each micro-batch carries", PackLoader.Load(copy).Challenges.Single().StarterFiles["Trainer.cs"], StringComparison.Ordinal);

        // The same diff, but it also drops a call: that is a bug of its own, not a comment edit.
        File.WriteAllText(starterDiff, text.Replace("@@ -74,8 +74,6 @@", "@@ -74,8 +74,5 @@", StringComparison.Ordinal)
            .Replace("\n                 loss.backward();\n", "\n-                loss.backward();\n", StringComparison.Ordinal));

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));
        Assert.EndsWith("training-loop/starter.diff", error.File, StringComparison.Ordinal);
        Assert.Contains("changes code of Trainer.cs, not only comments or layout", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("training-loop/starter/Trainer.cs", "the starter is derived now")]
    [InlineData("training-loop/bugs/unlisted.diff", "is not the diff of a variant listed under bugs")]
    [InlineData("training-loop/bugs/no-zero-grad/Trainer.cs", "is a folder: a variant is one diff")]
    [InlineData("training-loop/notes.txt", "outside the pack layout")]
    [InlineData("training-loop/probes/helper.cs", "outside the pack layout")]
    [InlineData("draft/challenge.yaml", "is not listed under challenges in pack.yaml")]
    public void A_file_outside_the_layout_is_refused_naming_it(string relative, string problem)
    {
        var copy = CopyTrainingLoop();
        var path = Path.Combine(copy, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "--- a/Trainer.cs\n+++ b/Trainer.cs\n");

        var error = Assert.Throws<PackFormatException>(() => PackLoader.Load(copy));

        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains(relative.Split('/')[0], error.File, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pack.yaml", null)]
    [InlineData("tiny-gpt/reference/Model.cs", null)]
    [InlineData("tiny-gpt/bugs/top-k.diff", null)]
    [InlineData("tiny-gpt/probes/model.csx", null)]
    [InlineData("tiny-gpt/starter.diff", null)]
    [InlineData("../pack.yaml", "not a plain relative path")]
    [InlineData("tiny-gpt//challenge.yaml", "not a plain relative path")]
    [InlineData("Tiny_GPT/challenge.yaml", "not a valid challenge folder name")]
    [InlineData("tiny-gpt/reference/model.py", "outside the pack layout")]
    [InlineData("notes.txt", "outside the pack layout")]
    [InlineData("tiny-gpt/bugs/Top_K.diff", "outside the pack layout")]
    [InlineData("tiny-gpt/reference/sub/Model.cs", "outside the pack layout")]
    public void The_layout_rule_names_what_a_pack_may_hold(string relative, string? refusal)
    {
        var actual = PackLayout.Refusal(relative);
        if (refusal is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(refusal, actual, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_pack_in_the_folder_format_converts_to_the_same_versions()
    {
        // Write lab-screen back in the folder format: every bug and wrong fix a folder of whole files, and a starter folder.
        var pack = PackLoader.Load(TestPacks.LabScreen);
        var legacy = Path.Combine(_scratch, "lab-screen");
        TestPacks.CopyDirectory(TestPacks.LabScreen, legacy);
        foreach (var challenge in pack.Challenges)
        {
            var dir = Path.Combine(legacy, challenge.Id);
            File.Delete(Path.Combine(dir, PackLoader.StarterDiffFile));
            WriteFolder(Path.Combine(dir, "starter"), challenge.StarterFiles);
            var yaml = File.ReadAllText(Path.Combine(dir, PackLoader.ChallengeFile));
            foreach (var (folder, variant) in challenge.Bugs.Select(b => ("bugs", b)).Concat(challenge.WrongFixes.Select(w => ("wrong-fixes", w))))
            {
                File.Delete(Path.Combine(dir, folder, variant.Id + ".diff"));
                WriteFolder(Path.Combine(dir, folder, variant.Id), variant.Files);
                yaml = yaml.Replace($"  - id: {variant.Id}\n", $"  - id: {variant.Id}\n    files: {folder}/{variant.Id}\n", StringComparison.Ordinal);
            }
            File.WriteAllText(Path.Combine(dir, PackLoader.ChallengeFile), yaml);
        }
        Assert.Throws<PackFormatException>(() => PackLoader.Load(legacy));

        var written = PackConverter.Convert(legacy);

        Assert.Equal(pack.Challenges.Sum(c => c.Bugs.Count + c.WrongFixes.Count) + 1, written.Count);
        var converted = PackLoader.Load(legacy);
        Assert.Equal(pack.Challenges.Select(ChallengeStore.ContentHash), converted.Challenges.Select(ChallengeStore.ContentHash));
        Assert.Empty(PackConverter.Convert(legacy));
    }

    private static void WriteFolder(string folder, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), text);
        }
    }

    private string CopyTrainingLoop()
    {
        var target = Path.Combine(_scratch, "lab-screen");
        TestPacks.CopyDirectory(Path.Combine(TestPacks.LabScreen, "training-loop"), Path.Combine(target, "training-loop"));
        File.WriteAllText(Path.Combine(target, "pack.yaml"), "id: lab-screen\ntitle: copy\nchallenges: [training-loop]\n");
        return target;
    }
}
