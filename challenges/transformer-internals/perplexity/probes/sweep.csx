// Reports over a sweep of corpora, float64 unless stated: (B, T, vocab, lengths) = (2, 5, 11,
// [5, 5]), (4, 9, 6, [9, 1, 4, 7]), (1, 8, 5, [6]), (5, 4, 13, [2, 4, 1, 3, 4]) in float32, and
// confident models with logits of magnitude up to 1e4 (WideRange) on (3, 6, 8, [6, 2, 5]). Padding
// targets are random tokens, like real ones.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

static Tensor Fields(PerplexityReport r) =>
    torch.tensor(new[] { r.MeanNll, r.Perplexity, r.StandardError, r.Lower, r.Upper, (double)r.Tokens }, dtype: torch.float64);

using (var scope = torch.NewDisposeScope())
{
    var reports = new List<Tensor>();
    foreach (var (B, T, V, lengths, kind) in new (int, int, int, long[], string)[]
    {
        (2, 5, 11, new long[] { 5, 5 }, "randn"),
        (4, 9, 6, new long[] { 9, 1, 4, 7 }, "randn"),
        (1, 8, 5, new long[] { 6 }, "randn"),
        (5, 4, 13, new long[] { 2, 4, 1, 3, 4 }, "float32"),
        (3, 6, 8, new long[] { 6, 2, 5 }, "wide"),
    })
    {
        var shape = new long[] { B, T, V };
        var logits = kind == "wide" ? WideRange(shape) * torch.randn(shape, dtype: torch.float64).sign() * 0.01
                   : kind == "float32" ? (torch.randn(shape, dtype: torch.float64) * 3.0).to_type(torch.float32)
                   : torch.randn(shape, dtype: torch.float64) * 1.5;
        var targets = torch.randint(0, V, new long[] { B, T }, dtype: torch.int64);
        reports.Add(Fields(PerplexityEval.Evaluate(logits, targets, torch.tensor(lengths))));
    }
    ObserveAll("reports", reports);
}
