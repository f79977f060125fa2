// What padding may and may not change. B=3, T=7, dModel=12, nHeads=3, lengths 7, 5 and 2, float64.
//  1. replace the vectors at the padding positions with fresh random ones (larger): the outputs at
//     real positions must not change (valid_original vs valid_perturbed);
//  2. run each sequence alone, cut to its length, with an all-true mask: its outputs must equal its
//     outputs at the real positions of the padded batch (valid_original vs valid_unpadded);
//  3. the gradient of the outputs at real positions w.r.t. the inputs at padding positions must be
//     exactly zero (padding_grad_max_abs).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new PaddedSelfAttention(12, 3))
{
    const int B = 3, T = 7, D = 12;
    long[] lengths = { 7, 5, 2 };
    layer.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

    var mask = torch.arange(T).unsqueeze(0).lt(torch.tensor(lengths).unsqueeze(1));   // (B, T)
    var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
    var noise = torch.randn(new long[] { B, T, D }, dtype: torch.float64) * 3.0;
    var xPerturbed = torch.where(mask.unsqueeze(-1), x, noise);
    var realRows = mask.unsqueeze(-1).expand(B, T, D);

    using (torch.no_grad())
    {
        Observe("valid_original", layer.forward(x, mask).masked_select(realRows));
        Observe("valid_perturbed", layer.forward(xPerturbed, mask).masked_select(realRows));

        var alone = new List<Tensor>();
        for (int b = 0; b < B; b++)
        {
            var sequence = x.narrow(0, b, 1).narrow(1, 0, lengths[b]);
            var allReal = torch.ones(new long[] { 1, lengths[b] }, dtype: torch.@bool);
            alone.Add(layer.forward(sequence, allReal).reshape(-1));
        }
        Observe("valid_unpadded", torch.cat(alone.ToArray(), 0));
    }

    var xg = x.clone().requires_grad_(true);
    var weights = torch.randn(new long[] { B, T, D }, dtype: torch.float64) * realRows.to_type(torch.float64);
    var objective = (layer.forward(xg, mask) * weights).sum();
    var grad = torch.autograd.grad(new[] { objective }, new[] { xg })[0];
    var paddingGrad = grad.masked_select(realRows.logical_not());
    Observe("padding_grad_max_abs", paddingGrad.abs().max().item<double>());
}
