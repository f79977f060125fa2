// SmallCnn logits on a small batch, float64, weights injected from the seeded generator by name:
// B=2 images of H=6, W=8, C=3 (channels last), 4 filters of 3x3, 5 classes.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var model = new SmallCnn(3, 6, 8, 4, 3, 5))
{
    model.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / 2.0);
        var images = torch.randn(new long[] { 2, 6, 8, 3 }, dtype: torch.float64);
        Observe("logits", model.forward(images));
    }
}
