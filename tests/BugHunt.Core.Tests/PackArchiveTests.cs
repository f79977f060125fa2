using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using BugHunt.Core.Authoring;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>How an uploaded archive's entries become a pack's files (the refusals are tested through the API).</summary>
public sealed class PackArchiveTests
{
    private static readonly (string Name, string Text)[] Pack =
    [
        ("pack.yaml", "id: p\ntitle: t\nchallenges: [c]\n"),
        ("c/challenge.yaml", "id: c\n"),
        ("c/reference/A.cs", "class A {}\n"),
    ];

    private static MemoryStream TarGz(IEnumerable<(string Name, string Text)> files, bool globalHeader = false)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            if (globalHeader)
            {
                tar.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "0123456789abcdef" }));
            }
            foreach (var (name, text) in files)
            {
                tar.WriteEntry(name.EndsWith('/')
                    ? new PaxTarEntry(TarEntryType.Directory, name)
                    : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }
        output.Position = 0;
        return output;
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("./", false)]
    [InlineData("my-pack/", false)]
    [InlineData("", true)]
    public async Task Plain_dot_slash_one_folder_and_git_archive_layouts_read_the_same(string prefix, bool globalHeader)
    {
        var entries = Pack.Select(f => (prefix + f.Name, f.Text)).Prepend((prefix.Length > 0 ? prefix : "c/", ""));
        var files = await PackArchive.ReadAsync(TarGz(entries.Where(e => e.Item1 != "./"), globalHeader), CancellationToken.None);
        Assert.Equal(Pack.Select(f => f.Name).Order(StringComparer.Ordinal), files.Keys);
        Assert.Equal("class A {}\n", files["c/reference/A.cs"]);
    }

    [Fact]
    public async Task An_entry_given_twice_is_refused()
    {
        var error = await Assert.ThrowsAsync<PackArchiveException>(() => PackArchive.ReadAsync(TarGz([.. Pack, ("./c/reference/A.cs", "class B {}")]), CancellationToken.None));
        Assert.Equal("./c/reference/A.cs", error.Entry);
        Assert.Contains("appears twice", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_without_a_manifest_at_its_top_is_refused()
    {
        var error = await Assert.ThrowsAsync<PackArchiveException>(() => PackArchive.ReadAsync(TarGz(Pack.Skip(1)), CancellationToken.None));
        Assert.Contains("has no pack.yaml", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_over_the_size_limit_is_refused_before_it_is_read()
    {
        var huge = new MemoryStream(new byte[PackArchive.MaxArchiveBytes + 1]);
        var error = await Assert.ThrowsAsync<PackArchiveException>(() => PackArchive.ReadAsync(huge, CancellationToken.None));
        Assert.True(error.TooLarge);
    }
}
