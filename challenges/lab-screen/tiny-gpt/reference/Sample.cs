using System;
using TorchSharp;
using static TorchSharp.torch;

public static class Sampler
{
    /// <summary>The next-token distribution for logits (B, V): softmax(logits / temperature), keeping only
    /// the topK most likely tokens of each row (renormalised) when topK > 0. temperature must be > 0.</summary>
    public static Tensor Probabilities(Tensor logits, double temperature, int topK)
    {
        if (temperature <= 0)
            throw new ArgumentException("temperature must be positive; use Next with temperature 0 for greedy decoding");
        var scaled = logits / temperature;
        if (topK > 0 && topK < scaled.shape[^1])
        {
            var (_, keep) = torch.topk(scaled, topK, dim: -1);
            scaled = torch.full_like(scaled, double.NegativeInfinity).scatter(-1, keep, scaled.gather(-1, keep));
        }
        return nn.functional.softmax(scaled, -1);
    }

    /// <summary>Picks the next token of each row of logits (B, V) -> (B) int64: the most likely token when
    /// temperature is 0 (greedy), otherwise a draw from <see cref="Probabilities"/>.</summary>
    public static Tensor Next(Tensor logits, double temperature, int topK, Generator generator)
    {
        if (temperature == 0)
            return logits.argmax(-1);
        var probs = Probabilities(logits, temperature, topK);
        return torch.multinomial(probs, 1, generator: generator).squeeze(-1);
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
