using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The language-model training loss: next-token cross-entropy over right-padded batches.
/// logits are (B, T, V), the model's output at every position of the input tokens (B, T), int64.
/// The output at position t predicts the token at position t + 1; targets equal to the padding id
/// are not scored.
/// </summary>
public static class NextTokenLoss
{
    /// <summary>
    /// -log softmax(logits[b, t])[tokens[b, t + 1]] for t = 0 .. T-2: the loss of every prediction
    /// that has a next token, (B, T-1).
    /// </summary>
    public static Tensor TokenLosses(Tensor logits, Tensor tokens)
    {
        long T = tokens.shape[1];
        var predictions = logits.narrow(1, 0, T - 1);                 // outputs at positions 0 .. T-2
        var targets = tokens.narrow(1, 1, T - 1);                     // the tokens that follow them
        var logProbs = nn.functional.log_softmax(predictions, -1);
        return -logProbs.gather(-1, targets.unsqueeze(-1)).squeeze(-1);
    }

    /// <summary>1 where the target tokens[b, t + 1] is a real token, 0 where it is padding, (B, T-1).</summary>
    public static Tensor TargetMask(Tensor tokens, long padId)
    {
        long T = tokens.shape[1];
        return tokens.narrow(1, 1, T - 1).ne(padId);
    }

    /// <summary>The mean of <see cref="TokenLosses"/> over all non-padding targets of the batch, 0-dimensional.</summary>
    public static Tensor Loss(Tensor logits, Tensor tokens, long padId)
    {
        var losses = TokenLosses(logits, tokens);
        var mask = TargetMask(tokens, padId).to(losses.dtype);
        return (losses * mask).sum() / mask.sum();
    }

    /// <summary>For every sequence, the mean loss over its own non-padding targets, (B,).</summary>
    public static Tensor PerSequenceLoss(Tensor logits, Tensor tokens, long padId)
    {
        var losses = TokenLosses(logits, tokens);
        var mask = TargetMask(tokens, padId).to(losses.dtype);
        return (losses * mask).sum(1) / mask.sum(1);
    }

    /// <summary>
    /// The weighted mean of the per-sequence losses, sum_b w_b L_b / sum_b w_b, 0-dimensional.
    /// The weights hold one value per sequence, shaped (B,) or (B, 1).
    /// </summary>
    public static Tensor WeightedLoss(Tensor logits, Tensor tokens, long padId, Tensor weights)
    {
        var perSequence = PerSequenceLoss(logits, tokens, padId);    // (B,)
        var w = weights.reshape(-1);                                   // (B,) whatever the caller's layout
        return (w * perSequence).sum() / w.sum();
    }
}
