// The sampler on hand-made logits (4 rows, 16 tokens, float64).
//  - Probabilities with temperature 0.5 and no top-k; with temperature 1 and top-k 3; with both;
//  - Next with temperature 0 (greedy);
//  - token frequencies of 4000 draws of Next (temperature 0.7, top-k 4) from one row.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var logits = 2.0 * torch.randn(new long[] { 4, 16 }, dtype: torch.float64);
    Observe("probs_temperature", Sampler.Probabilities(logits, 0.5, 0));
    Observe("probs_top_k", Sampler.Probabilities(logits, 1.0, 3));
    Observe("probs_temperature_and_top_k", Sampler.Probabilities(logits, 2.0, 5));

    var generator = new torch.Generator(1234);
    Observe("greedy", Sampler.Next(logits, 0.0, 0, generator));

    const int Draws = 4000;
    var row = logits.narrow(0, 2, 1).expand(Draws, 16).contiguous();
    var drawn = Sampler.Next(row, 0.7, 4, generator);
    Observe("draw_frequencies", torch.bincount(drawn, minlength: 16).to(torch.float64) / Draws);
}
