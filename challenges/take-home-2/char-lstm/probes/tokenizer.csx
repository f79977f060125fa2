// BpeTokenizer on its own:
//  - Encode with explicit alphabets and random merges (built in a random order, so that which merge
//    applies first matters), over several texts;
//  - Train on hand-made and random texts (ties, early stops, a one-character text): the merges, and
//    Encode of the training text with them;
//  - Decode round trips and EncodeDocuments streams.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var rng = new Random((int)(Seed % 1_000_003));
string RandomText(string alphabet, int length) => new string(Enumerable.Range(0, length).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
Tensor Ids(IEnumerable<long> ids) => torch.tensor(ids.ToArray(), dtype: torch.int64);

var encoded = new List<Tensor>();
var roundTrips = true;
foreach (var (alphabet, numMerges) in new[] { ("abc", 6), ("abcd", 9), ("xyz", 4), ("ab", 5) })
{
    var merges = new List<(long, long)>();
    int size = 1 + alphabet.Length;
    while (merges.Count < numMerges)
    {
        var pair = ((long)rng.Next(1, size), (long)rng.Next(1, size));
        if (merges.Contains(pair)) continue;
        merges.Add(pair);
        size++;
    }
    var tokenizer = new BpeTokenizer(alphabet, merges);
    encoded.Add(torch.tensor(new long[] { tokenizer.VocabSize }, dtype: torch.int64));
    foreach (var length in new[] { 1, 2, 5, 17, 40 })
    {
        var text = RandomText(alphabet, length);
        var ids = tokenizer.Encode(text);
        encoded.Add(Ids(ids));
        roundTrips &= tokenizer.Decode(ids) == text;
    }
}
// Hand-made: rank 0 joins "b"+"c", rank 1 "a"+"b"; "abc" must become "a" + "bc".
var ordered = new BpeTokenizer("abc", new (long, long)[] { (2, 3), (1, 2), (4, 1), (1, 4) });
foreach (var text in new[] { "abc", "abcabc", "aabcb", "cabca", "bcbcab" })
    encoded.Add(Ids(ordered.Encode(text)));
ObserveAll("encode", encoded);

var trained = new List<Tensor>();
var retokenized = new List<Tensor>();
var texts = new List<(string, int)>
{
    ("aaabdaaabac", 4), ("abababab", 3), ("abcd", 3), ("a", 2), ("", 2), ("mississippi river", 6),
    (RandomText("abc", 60), 8), (RandomText("ab ", 45), 5), (RandomText("pqrs", 80), 12),
};
foreach (var (text, numMerges) in texts)
{
    var tokenizer = BpeTokenizer.Train(text, numMerges);
    trained.Add(torch.tensor(new long[] { tokenizer.VocabSize, tokenizer.Merges.Count }, dtype: torch.int64));
    trained.Add(Ids(tokenizer.Merges.SelectMany(m => new[] { m.Left, m.Right }).Append(-1L)));
    retokenized.Add(Ids(tokenizer.Encode(text).Append(-1L)));
    roundTrips &= tokenizer.Decode(tokenizer.Encode(text)) == text;
}
ObserveAll("train", trained);
ObserveAll("retokenized", retokenized);

var docs = BpeTokenizer.Train("the cat sat on the mat", 5);
var stream = docs.EncodeDocuments(new[] { "the cat", "", "a mat sat", "t" });
Observe("documents", Ids(stream));
roundTrips &= docs.Decode(stream) == "the cata mat satt";
roundTrips &= docs.TokenText(BpeTokenizer.Bos) == "<bos>" && BpeTokenizer.Bos == 0;
Observe("round_trips", roundTrips);
