// Chunked prefill, float64, weights injected: vocab 9, dModel 12, 2 heads, 2 layers, 20 positions,
// B=2. A sequence of 12 tokens is fed as chunks of 3, 4, 1, 2 and 2 tokens through one KvCache; the
// chunks' logits, in order, must equal the full pass's logits (chunk_logits vs full_logits). Also the
// cache's length and its keys and values of layer 1 after the last chunk, against the reference.
// Then, with gradients on: a prefill of 4 tokens and a chunk of 3 through a new cache; the gradient
// of a weighted sum of the chunk's logits w.r.t. every parameter (it flows into the cached keys and
// values too), against the reference.
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
using (var model = new TinyDecoder(9, 12, 2, 2, 20))
{
    model.to(torch.float64);
    Inject(model);
    var noGrad = torch.no_grad();
    var sequence = torch.randint(0, 9, new long[] { 2, 12 }, dtype: torch.int64);
    var cache = new KvCache(2);
    var chunks = new List<Tensor>();
    long at = 0;
    foreach (long size in new long[] { 3, 4, 1, 2, 2 })
    {
        chunks.Add(model.Step(sequence.narrow(1, at, size), cache));
        at += size;
    }
    Observe("chunk_logits", torch.cat(chunks.ToArray(), 1));
    Observe("full_logits", model.forward(sequence));
    Observe("cache_length", (double)cache.Length);
    Observe("cache_keys", cache.Keys[1]!);
    Observe("cache_values", cache.Values[1]!);
    noGrad.Dispose();

    var trainCache = new KvCache(2);
    model.Step(sequence.narrow(1, 0, 4), trainCache);
    var chunk = model.Step(sequence.narrow(1, 4, 3), trainCache);
    ObserveParameterGradients("chunk_parameter_gradients", model, (chunk * torch.randn(chunk.shape, dtype: torch.float64)).sum());
}
