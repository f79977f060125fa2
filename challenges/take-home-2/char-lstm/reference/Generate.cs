using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

public static class Sampler
{
    /// <summary>
    /// Extends each row of prompt (B, T0), T0 >= 1, by maxNewTokens tokens and returns (B, T0 + maxNewTokens).
    /// The prompt is read once; after that each step feeds the model only the token just chosen, with the
    /// state the model returned on the step before, so the whole text so far conditions every choice.
    /// The next token is the argmax of the last logits when temperature is 0, otherwise a draw (with the
    /// given generator) from softmax(logits / temperature).
    /// </summary>
    public static Tensor Generate(RecurrentLm model, Tensor prompt, int maxNewTokens, double temperature, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        var pieces = new List<Tensor> { prompt };
        using (torch.no_grad())
        {
            var (logits, state) = model.Forward(prompt, null);
            for (int i = 0; i < maxNewTokens; i++)
            {
                var last = logits.select(1, -1); // (B, V)
                var next = temperature == 0
                    ? last.argmax(-1, keepdim: true)
                    : torch.multinomial(nn.functional.softmax(last / temperature, -1), 1, generator: generator);
                pieces.Add(next);
                (logits, state) = model.Forward(next, state);
            }
        }
        return torch.cat(pieces, 1);
    }
}
