using System.Text;
using BugHunt.Core.Integrity;
using Xunit;

namespace BugHunt.Core.Tests;

public class SnapshotImageTests
{
    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 }, "image/jpeg")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 36, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20 }, "image/webp")]
    public void Image_type_comes_from_the_magic_bytes(byte[] content, string type) =>
        Assert.Equal(type, IntegrityStore.ImageType(content));

    [Theory]
    [InlineData("<html><script>alert(1)</script></html>")]
    [InlineData("GIF89a")]
    [InlineData("RIFF\0\0\0\0WAVEfmt ")]
    [InlineData("RIFF")]
    [InlineData("")]
    public void Anything_else_has_no_image_type(string content) =>
        Assert.Null(IntegrityStore.ImageType(Encoding.Latin1.GetBytes(content)));

    [Fact]
    public void A_truncated_png_signature_is_not_an_image() =>
        Assert.Null(IntegrityStore.ImageType(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
}
