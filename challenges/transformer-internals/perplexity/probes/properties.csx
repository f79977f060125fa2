// Properties, float64: B=4, T=8, vocab 9, lengths 8, 2, 5 and 3.
//  1. padding does not count: new logits and targets at the padding positions give the same report
//     (report vs report_new_padding);
//  2. every token counts once: the corpus perplexity is exp(sum of each sequence's MeanNll x Tokens,
//     each sequence evaluated alone, / total Tokens) (perplexity vs perplexity_from_sequences);
//  3. the error bar: StandardError = sample std (n - 1) of the real tokens' NLL / sqrt(n), computed
//     here from TokenNll, and Lower / Upper = exp(MeanNll -+ 1.96 StandardError)
//     (error_bar vs error_bar_recomputed);
//  4. TokenNll against -log softmax(logits)[target] computed here (token_nll vs minus_log_p), and its
//     gradient w.r.t. the logits, against the reference.
using System;
using System.Linq;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

static Tensor Fields(PerplexityReport r) =>
    torch.tensor(new[] { r.MeanNll, r.Perplexity, r.StandardError, r.Lower, r.Upper, (double)r.Tokens }, dtype: torch.float64);

using (var scope = torch.NewDisposeScope())
{
    const int B = 4, T = 8, V = 9;
    var lengths = torch.tensor(new long[] { 8, 2, 5, 3 });
    var real = torch.arange(T).unsqueeze(0).lt(lengths.unsqueeze(1));
    var logits = torch.randn(new long[] { B, T, V }, dtype: torch.float64) * 2.0;
    var targets = torch.randint(0, V, new long[] { B, T }, dtype: torch.int64);
    var report = PerplexityEval.Evaluate(logits, targets, lengths);
    Observe("report", Fields(report));

    var newLogits = torch.where(real.unsqueeze(-1), logits, torch.randn(new long[] { B, T, V }, dtype: torch.float64) * 5.0);
    var newTargets = torch.where(real, targets, torch.randint(0, V, new long[] { B, T }, dtype: torch.int64));
    Observe("report_new_padding", Fields(PerplexityEval.Evaluate(newLogits, newTargets, lengths)));

    double weighted = 0, count = 0;
    var lengthValues = lengths.data<long>().ToArray();
    for (int b = 0; b < B; b++)
    {
        long n = lengthValues[b];
        if (n < 2) continue;
        var alone = PerplexityEval.Evaluate(logits.narrow(0, b, 1).narrow(1, 0, n), targets.narrow(0, b, 1).narrow(1, 0, n), torch.tensor(new long[] { n }));
        weighted += alone.MeanNll * alone.Tokens;
        count += alone.Tokens;
    }
    // sequence 1 has 2 tokens, so every sequence is evaluated alone (each has at least 2)
    Observe("perplexity", report.Perplexity);
    Observe("perplexity_from_sequences", Math.Exp(weighted / count));

    var scored = PerplexityEval.TokenNll(logits, targets).masked_select(real);
    double se = scored.std(unbiased: true).item<double>() / Math.Sqrt(scored.numel());
    double mean = scored.mean().item<double>();
    Observe("error_bar", torch.tensor(new[] { report.StandardError, report.Lower, report.Upper }, dtype: torch.float64));
    Observe("error_bar_recomputed", torch.tensor(new[] { se, Math.Exp(mean - 1.96 * se), Math.Exp(mean + 1.96 * se) }, dtype: torch.float64));

    var logp = logits - logits.exp().sum(-1, keepdim: true).log();
    Observe("token_nll", PerplexityEval.TokenNll(logits, targets));
    Observe("minus_log_p", -logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1));

    var x = (torch.randn(new long[] { 2, 3, 5 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    ObserveGradients("token_nll_gradient", PerplexityEval.TokenNll(x, torch.randint(0, 5, new long[] { 2, 3 }, dtype: torch.int64)), x);
}
