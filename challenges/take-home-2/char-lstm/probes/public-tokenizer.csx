// BpeTokenizer.Encode against the reference on one phrase, with a fixed alphabet and five merges
// given in rank order: ids 1..12 are the characters " aehinorstwy" and ids 13.. the merges.
using System;
using TorchSharp;
using static TorchSharp.torch;

var tokenizer = new BpeTokenizer(" aehinorstwy", new (long, long)[]
{
    (4, 3),   // "h" + "e"   -> 13 "he"
    (10, 4),  // "t" + "h"   -> 14 "th"
    (3, 8),   // "e" + "r"   -> 15 "er"
    (14, 3),  // "th" + "e"  -> 16 "the"
    (1, 14),  // " " + "th"  -> 17 " th"
});
Observe("ids", torch.tensor(tokenizer.Encode("the other weather is there"), dtype: torch.int64));
