// CharLstm logits against the reference: float64, every parameter injected (by name, in sorted order)
// from the seeded generator, vocabulary 11, embedding 5, hidden 7, a fixed batch B=3, T=6.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(name.StartsWith("embed") ? torch.randn(p.shape, dtype: torch.float64) : 0.6 * torch.randn(p.shape, dtype: torch.float64));
}

using (var scope = torch.NewDisposeScope())
using (var model = new CharLstm(new LstmConfig(VocabSize: 11, EmbedDim: 5, HiddenDim: 7)))
{
    model.to(torch.float64);
    Inject(model);
    using (torch.no_grad())
    {
        var idx = torch.randint(0, 11, new long[] { 3, 6 }, dtype: torch.int64);
        Observe("logits", model.Forward(idx, null).Logits);
    }
}
