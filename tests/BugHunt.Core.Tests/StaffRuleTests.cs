using System.Security.Cryptography;
using System.Text;
using BugHunt.Core.Staff;
using Xunit;

namespace BugHunt.Core.Tests;

/// <summary>The rules of staff accounts that need no database: keys, their hashes, names, roles and audit entries.</summary>
public sealed class StaffRuleTests
{
    [Fact]
    public void A_key_is_bh_and_256_random_bits_in_base64url_and_no_two_are_alike()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => StaffStore.NewKey()).ToList();
        Assert.All(keys, k => Assert.Matches("^bh_[A-Za-z0-9_-]{43}$", k));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        var bits = Convert.FromBase64String(keys[0]["bh_".Length..].Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(32, bits.Length);
    }

    [Fact]
    public void The_stored_hash_is_the_keys_sha256_in_hex_and_tells_nothing_of_the_key()
    {
        var key = StaffStore.NewKey();
        var hash = StaffStore.Hash(key);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), hash);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain(key["bh_".Length..][..8], hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, StaffStore.Hash(key + "x"));
    }

    [Theory]
    [InlineData("ada", true)]
    [InlineData("ada.lovelace@example.com", true)]
    [InlineData("r2-d2_x", true)]
    [InlineData("", false)]
    [InlineData("two words", false)]
    [InlineData("admin (bootstrap key)", false)]
    [InlineData("-leading-dash", false)]
    [InlineData("name\n", false)]
    public void A_name_is_letters_digits_and_a_few_marks(string name, bool valid)
    {
        Assert.Equal(valid, StaffStore.IsValidName(name));
        Assert.False(StaffStore.IsValidName(new string('a', 65)));
        Assert.True(StaffStore.IsValidName(new string('a', 64)));
    }

    [Fact]
    public void Roles_read_whatever_their_case_and_are_named_in_lowercase()
    {
        Assert.Equal(StaffRole.Recruiter, StaffRoles.Parse("recruiter"));
        Assert.Equal(StaffRole.Proctor, StaffRoles.Parse("Proctor"));
        Assert.Null(StaffRoles.Parse("superuser"));
        Assert.Null(StaffRoles.Parse(null));
        Assert.Equal(["admin", "author", "recruiter", "proctor"], StaffRoles.All.Select(r => r.Name()));
        Assert.Equal("admin, author, recruiter or proctor", StaffRoles.Sentence(StaffRoles.All));
        Assert.Equal("recruiter or proctor", StaffRoles.Sentence([StaffRole.Recruiter, StaffRole.Proctor]));
        Assert.Equal("proctor", StaffRoles.Sentence([StaffRole.Proctor]));
    }

    [Theory]
    [InlineData("pack.publish")]
    [InlineData("session.extra_time")]
    [InlineData("rejudge.apply")]
    public void Actions_of_the_form_noun_dot_verb_are_accepted(string action) => AuditLog.CheckEntry(action, "pack:lab-screen");

    [Theory]
    [InlineData("publish")]
    [InlineData("Pack.Publish")]
    [InlineData("pack publish")]
    [InlineData("pack.")]
    [InlineData("pack.publish\n")]
    public void A_malformed_action_is_refused_before_anything_is_written(string action)
    {
        var refused = Assert.Throws<ArgumentException>(() => AuditLog.CheckEntry(action, "pack:lab-screen"));
        Assert.Contains("noun.verb", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AuditLog.CheckEntry("pack.publish", " "));
    }
}
