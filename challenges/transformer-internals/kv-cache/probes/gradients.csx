// The full pass as a training step would use it, float64, weights injected: vocab 7, dModel 12,
// 3 heads, 2 layers, 10 positions, B=3, T=8 (and T=10, every position). The logits against the
// reference, and the gradient of a weighted sum of the logits w.r.t. every parameter; then the logits
// with large activations: token embeddings x 30, query and key weights x 8 (attention scores far
// past +-10) and the head x 30 (logits far past +-10).
using System;
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
using (var model = new TinyDecoder(7, 12, 3, 2, 10))
{
    model.to(torch.float64);
    Inject(model);
    var sequence = torch.randint(0, 7, new long[] { 3, 8 }, dtype: torch.int64);
    var logits = model.forward(sequence);
    using (torch.no_grad())
    {
        Observe("logits", logits);
        Observe("logits_every_position", model.forward(torch.randint(0, 7, new long[] { 2, 10 }, dtype: torch.int64)));
    }
    ObserveParameterGradients("parameter_gradients", model, (logits * torch.randn(logits.shape, dtype: torch.float64)).sum());
    using (torch.no_grad())
    {
        foreach (var (name, p) in model.named_parameters().ToList())
            if (name.StartsWith("tokens") || name.StartsWith("head")) p.mul_(30.0);
            else if (name.Contains("query") || name.Contains("key")) p.mul_(8.0);
        Observe("logits_large", model.forward(sequence));
    }
}
