// Teacher-forced decoding with Step and a KvCache, float64, weights injected, over two configs:
// (vocab 7, dModel 20, 4 heads, 1 layer, 30 positions, B=3) and (vocab 13, dModel 12, 3 heads,
// 2 layers, 16 positions, B=2, running up to the last position). A prompt is prefilled at once, then
// the rest of a fixed sequence is fed one token at a time: every step's logits must equal the full
// pass's logits at the same position (step_logits vs full_logits), and match the reference.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            if (name.Contains("ln")) p.copy_(name.EndsWith("weight") ? 1 + 0.2 * r : 0.2 * r);
            else if (p.dim() == 1) p.copy_(0.2 * r);
            else if (name.StartsWith("tokens") || name.StartsWith("positions")) p.copy_(r);
            else p.copy_(r / Math.Sqrt(p.shape[1]));
        }
}

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    var stepLogits = new List<Tensor>();
    var fullLogits = new List<Tensor>();
    foreach (var (vocab, d, heads, layers, maxLength, B, P, T) in new[] { (7, 20, 4, 1, 30, 3, 4, 11), (13, 12, 3, 2, 16, 2, 6, 16) })
    {
        var model = new TinyDecoder(vocab, d, heads, layers, maxLength);
        model.to(torch.float64);
        Inject(model);
        var sequence = torch.randint(0, vocab, new long[] { B, T }, dtype: torch.int64);
        var cache = new KvCache(layers);
        var steps = new List<Tensor> { model.Step(sequence.narrow(1, 0, P), cache) };
        for (int t = P; t < T; t++)
            steps.Add(model.Step(sequence.narrow(1, t, 1), cache));
        stepLogits.Add(torch.cat(steps.ToArray(), 1));                          // (B, T, vocab)
        fullLogits.Add(model.forward(sequence));
    }
    Observe("step_logits", torch.cat(stepLogits.Select(l => l.reshape(-1)).ToArray(), 0));
    Observe("full_logits", torch.cat(fullLogits.Select(l => l.reshape(-1)).ToArray(), 0));
}
