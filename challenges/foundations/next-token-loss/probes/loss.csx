// Loss, float64, on right-padded batches:
//  - a sweep of (B, T, V) = (3, 5, 7), (2, 9, 11), (4, 2, 5), (1, 12, 3) with random lengths
//    (at least 2 real tokens each) and padding id 0, against the reference;
//  - padding id V - 1 instead of 0;
//  - appending three more padding positions (with arbitrary logits) leaves the loss unchanged;
//  - changing the first token of every sequence (never a target) leaves the loss unchanged;
//  - changing the logits at the last position (they predict nothing) leaves the loss unchanged;
//  - logits of magnitude up to a few hundred, and float32 logits;
//  - the gradient with respect to the logits.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

Tensor Batch(long b, long t, long v, long pad)
{
    var tokens = torch.randint(1, v - 1, new long[] { b, t }, dtype: torch.int64);
    if (pad != 0) tokens = tokens - 1;                                 // real tokens 0 .. V-2, pad V-1
    for (long i = 0; i < b; i++)
    {
        long length = 2 + (long)(torch.randint(0, t - 1, new long[] { 1 }, dtype: torch.int64).item<long>());
        if (length < t) tokens[i, TensorIndex.Slice(length, null)] = pad;
    }
    return tokens;
}

using (var scope = torch.NewDisposeScope())
{
    var sweep = new List<Tensor>();
    foreach (var (b, t, v) in new (long, long, long)[] { (3, 5, 7), (2, 9, 11), (4, 2, 5), (1, 12, 3) })
        sweep.Add(NextTokenLoss.Loss(torch.randn(new long[] { b, t, v }, dtype: torch.float64) * 2.0, Batch(b, t, v, 0), 0));
    ObserveAll("loss_sweep", sweep);

    var tokensLastPad = Batch(3, 7, 6, 5);
    Observe("loss_pad_last_id", NextTokenLoss.Loss(torch.randn(new long[] { 3, 7, 6 }, dtype: torch.float64), tokensLastPad, 5));

    var logits = torch.randn(new long[] { 3, 8, 9 }, dtype: torch.float64) * 2.0;
    var tokens = Batch(3, 8, 9, 0);
    var loss = NextTokenLoss.Loss(logits, tokens, 0);
    Observe("loss", loss);
    var longerLogits = torch.cat(new[] { logits, torch.randn(new long[] { 3, 3, 9 }, dtype: torch.float64) * 5.0 }, 1);
    var longerTokens = torch.cat(new[] { tokens, torch.zeros(new long[] { 3, 3 }, dtype: torch.int64) }, 1);
    Observe("loss_more_padding", NextTokenLoss.Loss(longerLogits, longerTokens, 0));
    var otherFirst = tokens.clone();
    otherFirst[TensorIndex.Colon, 0] = (tokens[TensorIndex.Colon, 0] % 8) + 1;
    Observe("loss_other_first_token", NextTokenLoss.Loss(logits, otherFirst, 0));
    var otherLast = logits.clone();
    otherLast[TensorIndex.Colon, -1] = torch.randn(new long[] { 3, 9 }, dtype: torch.float64) * 5.0;
    Observe("loss_other_last_logits", NextTokenLoss.Loss(otherLast, tokens, 0));

    Observe("loss_large_logits", NextTokenLoss.Loss(torch.randn(new long[] { 2, 6, 5 }, dtype: torch.float64) * 300.0, Batch(2, 6, 5, 0), 0));
    Observe("loss_float32", NextTokenLoss.Loss(torch.randn(new long[] { 2, 5, 4 }, dtype: torch.float32), Batch(2, 5, 4, 0), 0));

    var g = (torch.randn(new long[] { 2, 7, 6 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    ObserveGradients("loss_gradient", NextTokenLoss.Loss(g, Batch(2, 7, 6, 0), 0), g);
}
