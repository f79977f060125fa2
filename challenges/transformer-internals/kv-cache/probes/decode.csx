// Greedy decoding with the cache against the full forward pass. A TinyDecoder (vocab 11, dModel 16,
// 2 heads, 2 layers, 24 positions, float64, weights injected); a prompt (B=2, P=5) prefilled at once,
// then 6 tokens decoded one at a time by DecodingSession.Generate. The full pass is run on the prompt
// plus the generated tokens: its logits at positions 4..9 must equal the logits Generate returned.
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
using (var model = new TinyDecoder(11, 16, 2, 2, 24))
using (torch.no_grad())
{
    model.to(torch.float64);
    Inject(model);
    var prompt = torch.randint(0, 11, new long[] { 2, 5 }, dtype: torch.int64);
    var incremental = new DecodingSession(model).Generate(prompt, 6);            // (2, 6, 11)
    var generated = incremental.argmax(-1);                                      // (2, 6)
    var sequence = torch.cat(new[] { prompt, generated.narrow(1, 0, 5) }, 1);   // (2, 10)
    Observe("incremental_logits", incremental);
    Observe("full_logits", model.forward(sequence).narrow(1, 4, 6));
}
