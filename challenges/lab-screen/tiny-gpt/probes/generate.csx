// Sampler.Generate past the model's block size: a TinyGpt with BlockSize 6 (float64, injected
// weights), greedy and sampled (temperature 1, no top-k, seeded generator) continuations of 8 prompts
// each shorter than, equal to and longer than the block size, every one extended past it.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
    {
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            if (name.Contains("ln")) p.copy_(name.EndsWith("weight") ? 1 + 0.2 * r : 0.2 * r);
            else if (p.dim() == 1) p.copy_(0.2 * r);
            else if (name.EndsWith("wte.weight") || name.EndsWith("wpe.weight")) p.copy_(r);
            else p.copy_(r / Math.Sqrt(p.shape[1]));
        }
    }
}

using (var scope = torch.NewDisposeScope())
using (var model = new TinyGpt(new GptConfig(VocabSize: 6, BlockSize: 6, DModel: 12, NHeads: 3, NLayers: 2, MlpHidden: 20)))
{
    model.to(torch.float64);
    Inject(model);
    model.eval();
    var generated = new List<Tensor>();
    foreach (var (rows, promptLength, newTokens) in new[] { (8, 1, 10), (8, 4, 8), (8, 6, 6), (8, 8, 6) })
    {
        var prompt = torch.randint(1, 6, new long[] { rows, promptLength }, dtype: torch.int64);
        generated.Add(Sampler.Generate(model, prompt, newTokens, 0.0, 0, new torch.Generator(11)));
        // Draws at temperature 1 without top-k: the context fed at each step decides the distribution.
        generated.Add(Sampler.Generate(model, prompt, newTokens, 1.0, 0, new torch.Generator((ulong)(11 + promptLength))));
    }
    ObserveAll("generated", generated);
}
