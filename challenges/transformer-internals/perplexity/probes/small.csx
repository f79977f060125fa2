// A small padded batch, float64 logits: B=3, T=6, vocab 7, lengths 6, 3 and 5; padding targets are 0.
// The report's fields in order: MeanNll, Perplexity, StandardError, Lower, Upper, Tokens.
using System;
using TorchSharp;
using static TorchSharp.torch;

static Tensor Fields(PerplexityReport r) =>
    torch.tensor(new[] { r.MeanNll, r.Perplexity, r.StandardError, r.Lower, r.Upper, (double)r.Tokens }, dtype: torch.float64);

using (var scope = torch.NewDisposeScope())
{
    var lengths = torch.tensor(new long[] { 6, 3, 5 });
    var real = torch.arange(6).unsqueeze(0).lt(lengths.unsqueeze(1));
    var logits = torch.randn(new long[] { 3, 6, 7 }, dtype: torch.float64) * 2.0;
    var targets = torch.randint(0, 7, new long[] { 3, 6 }, dtype: torch.int64) * real;
    Observe("report", Fields(PerplexityEval.Evaluate(logits, targets, lengths)));
}
