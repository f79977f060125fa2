// Reference comparison over a sweep of configurations, float64, weights injected per layer:
// (B, T, dModel, nHeads, lengths) = (2, 7, 8, 2, [7, 3]), (4, 5, 12, 4, [2, 5, 1, 4]),
// (1, 9, 6, 1, [5]), a left-padded batch (2, 6, 12, 3, real tokens at the end), and a batch of
// inputs of magnitude about 8, whose scores reach far past +-10.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module, int d)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(d));
}

static Tensor RightPadded(long[] lengths, long T) =>
    torch.arange(T).unsqueeze(0).lt(torch.tensor(lengths).unsqueeze(1));

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    var outs = new List<Tensor>();
    foreach (var (B, T, D, H, lengths, magnitude, left) in new (int, int, int, int, long[], double, bool)[]
    {
        (2, 7, 8, 2, new long[] { 7, 3 }, 1.0, false),
        (4, 5, 12, 4, new long[] { 2, 5, 1, 4 }, 1.0, false),
        (1, 9, 6, 1, new long[] { 5 }, 1.0, false),
        (2, 6, 12, 3, new long[] { 4, 2 }, 1.0, true),
        (3, 6, 8, 2, new long[] { 6, 3, 5 }, 8.0, false),
    })
    {
        var layer = new PaddedSelfAttention(D, H);
        layer.to(torch.float64);
        Inject(layer, D);
        var mask = RightPadded(lengths, T);
        if (left) mask = mask.flip(1);                       // padding first, real tokens last
        var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64) * magnitude;
        outs.Add(layer.forward(x, mask));
    }
    ObserveAll("outs", outs);
}
