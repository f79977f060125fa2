using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

/// <summary>
/// A byte-pair-encoding tokenizer over characters.
///
/// Id <see cref="Bos"/> (0) is the only special token: it opens every document of a stream. The
/// characters of the alphabet get the ids 1..A in the order the alphabet lists them, and merge r
/// (0-based) creates the token with id 1 + A + r, whose text is the text of its left part followed by
/// the text of its right part.
/// </summary>
public sealed class BpeTokenizer
{
    /// <summary>The beginning-of-document token.</summary>
    public const long Bos = 0;

    private readonly Dictionary<char, long> _charIds = new();
    private readonly List<string> _texts = new() { "<bos>" };
    private readonly Dictionary<(long, long), int> _ranks = new();
    private readonly List<(long Left, long Right)> _merges = new();

    /// <summary>A tokenizer with the given alphabet (distinct characters) and merges, in rank order.</summary>
    public BpeTokenizer(string alphabet, IReadOnlyList<(long Left, long Right)> merges)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(merges);
        foreach (var ch in alphabet)
        {
            if (_charIds.ContainsKey(ch))
                throw new ArgumentException($"character '{ch}' is twice in the alphabet", nameof(alphabet));
            _charIds[ch] = _texts.Count;
            _texts.Add(ch.ToString());
        }
        foreach (var (left, right) in merges)
        {
            if (left <= Bos || right <= Bos || left >= _texts.Count || right >= _texts.Count || _ranks.ContainsKey((left, right)))
                throw new ArgumentException($"merge ({left}, {right}) does not join two known tokens", nameof(merges));
            _ranks[(left, right)] = _merges.Count;
            _merges.Add((left, right));
            _texts.Add(_texts[(int)left] + _texts[(int)right]);
        }
    }

    /// <summary>Number of ids: 1 + alphabet size + number of merges.</summary>
    public int VocabSize => _texts.Count;

    /// <summary>The merges in rank order (the first one is applied first).</summary>
    public IReadOnlyList<(long Left, long Right)> Merges => _merges;

    /// <summary>The text of a token ("&lt;bos&gt;" for <see cref="Bos"/>).</summary>
    public string TokenText(long id) => _texts[(int)id];

    /// <summary>
    /// Learns a tokenizer from a text. The alphabet is the text's distinct characters in ordinal order.
    /// Then, up to <paramref name="numMerges"/> times: count every adjacent pair of tokens in the text
    /// (as tokenized so far, overlapping pairs included), take the most frequent pair, breaking ties by the
    /// smaller left id and then the smaller right id, and stop if it occurs fewer than 2 times; otherwise
    /// add it as the next merge and replace its occurrences, left to right, by the new token.
    /// </summary>
    public static BpeTokenizer Train(string text, int numMerges)
    {
        ArgumentNullException.ThrowIfNull(text);
        var alphabet = new string(text.Distinct().OrderBy(c => c).ToArray());
        var tokenizer = new BpeTokenizer(alphabet, Array.Empty<(long, long)>());
        var ids = text.Select(c => tokenizer._charIds[c]).ToList();
        var merges = new List<(long, long)>();
        for (int m = 0; m < numMerges; m++)
        {
            var counts = new Dictionary<(long, long), int>();
            for (int i = 0; i + 1 < ids.Count; i++)
                counts[(ids[i], ids[i + 1])] = counts.GetValueOrDefault((ids[i], ids[i + 1])) + 1;
            if (counts.Count == 0)
                break;
            var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2).First();
            if (best.Value < 2)
                break;
            merges.Add(best.Key);
            ids = Replace(ids, best.Key, alphabet.Length + merges.Count);
        }
        return new BpeTokenizer(alphabet, merges);
    }

    /// <summary>
    /// Token ids of a text (no <see cref="Bos"/>). Starts from one token per character, then repeatedly
    /// applies the merge of lowest rank among the adjacent pairs present (replacing all of its
    /// occurrences, left to right), until no adjacent pair has a merge.
    /// </summary>
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<long>(text.Length);
        foreach (var ch in text)
        {
            if (!_charIds.TryGetValue(ch, out var id))
                throw new ArgumentException($"character '{ch}' is not in the alphabet", nameof(text));
            ids.Add(id);
        }
        while (true)
        {
            int bestRank = -1;
            for (int i = 0; i + 1 < ids.Count; i++)
                if (_ranks.TryGetValue((ids[i], ids[i + 1]), out var rank) && (bestRank < 0 || rank < bestRank))
                    bestRank = rank;
            if (bestRank < 0)
                return ids.ToArray();
            ids = Replace(ids, _merges[bestRank], _charIds.Count + 1 + bestRank);
        }
    }

    /// <summary>A stream for language modelling: each document as <see cref="Bos"/> followed by its tokens.</summary>
    public long[] EncodeDocuments(IEnumerable<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var stream = new List<long>();
        foreach (var document in documents)
        {
            stream.Add(Bos);
            stream.AddRange(Encode(document));
        }
        return stream.ToArray();
    }

    /// <summary>The text of a sequence of ids; <see cref="Bos"/> tokens are dropped.</summary>
    public string Decode(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        foreach (var id in ids)
            if (id != Bos)
                text.Append(_texts[(int)id]);
        return text.ToString();
    }

    // Replaces every occurrence of pair (scanning left to right, without overlaps) by the token id.
    private static List<long> Replace(List<long> ids, (long Left, long Right) pair, long id)
    {
        var merged = new List<long>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            if (i + 1 < ids.Count && ids[i] == pair.Left && ids[i + 1] == pair.Right)
            {
                merged.Add(id);
                i++;
            }
            else
            {
                merged.Add(ids[i]);
            }
        }
        return merged;
    }
}
