// Seeded draws from Sample, with an explicit generator:
//  - 3000 draws from one row of V=9 logits with top-k 4 (temperature 0.8): how many land outside
//    the 4 largest logits (must be 0), and the share of draws of each token against the returned
//    distribution;
//  - 3000 draws from a hand-made distribution [0.05, 0.1, 0.4, 0.15, 0.3] with top-p 0.8 (nucleus:
//    tokens 2, 4, 3): how many land outside it (must be 0);
//  - greedy decoding (temperature 0) on B=5 rows of V=7, one row with a tie: the tokens, and the
//    distribution it returns.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var generator = new torch.Generator((ulong)Seed + 17UL);
    const int N = 3000;

    var row = torch.randn(new long[] { 1, 9 }, dtype: torch.float64) * 1.5;
    var drawsK = Decoding.Sample(row.expand(N, 9), 0.8, 4, 1.0, generator);
    var top4 = row.argsort(-1, descending: true).narrow(-1, 0, 4).reshape(-1);
    var insideK = torch.isin(drawsK, top4);
    Observe("draws_outside_top_k", (~insideK).sum().to(torch.float64));
    var shares = torch.bincount(drawsK, minlength: 9).to(torch.float64) / N;
    Observe("draw_shares", shares);
    Observe("draw_shares_expected", Decoding.NextTokenProbabilities(row, 0.8, 4, 1.0).reshape(-1));

    var handMade = torch.tensor(new double[] { 0.05, 0.1, 0.4, 0.15, 0.3 }, dtype: torch.float64).log().reshape(1, 5);
    var drawsP = Decoding.Sample(handMade.expand(N, 5), 1.0, 0, 0.8, generator);
    var nucleus = torch.tensor(new long[] { 2, 4, 3 }, dtype: torch.int64);
    Observe("draws_outside_nucleus", (~torch.isin(drawsP, nucleus)).sum().to(torch.float64));

    var greedyLogits = torch.randn(new long[] { 5, 7 }, dtype: torch.float64);
    greedyLogits[2, 5] = greedyLogits[2].max() + 1.0;
    greedyLogits[2, 1] = greedyLogits[2, 5];
    Observe("greedy_tokens", Decoding.Sample(greedyLogits, 0.0, 0, 1.0, generator).to(torch.float64));
    Observe("argmax_tokens", greedyLogits.argmax(-1).to(torch.float64));
    Observe("greedy_probs", Decoding.NextTokenProbabilities(greedyLogits, 0.0, 0, 1.0));
}
