using BugHunt.Core.Packs;

namespace BugHunt.Cli;

/// <summary>One kind of candidate code the measuring commands submit, named for the report.</summary>
internal sealed record MixKind(string Name, IReadOnlyDictionary<string, string> Files);

/// <summary>
/// What the load and chaos commands submit to causal-attention: the reference (correct), the starter
/// (wrong), code that does not compile, code that reaches for the host (hostile) and, for chaos, code
/// that never returns (time limit). Each is the reference with one planted change.
/// </summary>
internal static class SubmissionMix
{
    private const string Anchor = "long B = x.shape[0], T = x.shape[1];";

    public static List<MixKind> For(Challenge challenge)
    {
        var reference = challenge.ReferenceFiles["Attention.cs"];
        return
        [
            new("correct", challenge.ReferenceFiles),
            new("wrong", challenge.StarterFiles),
            new("non-compiling", Edited(reference.Replace("return output.forward(y);", "return output.forward(y)", StringComparison.Ordinal))),
            new("hostile", Edited(reference.Replace(Anchor, Anchor + " var leak = System.IO.File.ReadAllText(\"/etc/passwd\");", StringComparison.Ordinal))),
        ];
    }

    /// <summary>A forward pass that loops until the sandbox's wall-clock limit kills it (threads, and so sleeping, are not allowed).</summary>
    public static MixKind TimeLimit(Challenge challenge) =>
        new("time-limit", Edited(challenge.ReferenceFiles["Attention.cs"].Replace(Anchor, Anchor + " for (long spin = 0; spin >= 0; spin = (spin + 1) % 7) { }", StringComparison.Ordinal)));

    private static Dictionary<string, string> Edited(string attention) => new() { ["Attention.cs"] = attention };
}
