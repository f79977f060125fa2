// Loss values, float64, over a sweep: two models (4-5-3 and 3-6-2, Tanh between two Linear
// layers, weights injected, a few weight entries exactly 0) and four (l1, l2) settings, (0.01, 0.1),
// (0.3, 0), (0, 2.5), (0.05, 0.7). Observed: PenalisedLoss against the reference and against
// data + l1 * sum |w| + l2 * 0.5 * sum w^2 over the weight matrices, computed here; L1 and L2 of a
// list of tensors of several shapes with entries from 1e-2 to 1e4 (and some negative), against the
// reference and against the formulas; L1 and L2 of a list of a single float32 tensor.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var got = new List<double>();
    var formula = new List<double>();
    foreach (var (inputs, hidden, classes) in new (int, int, int)[] { (4, 5, 3), (3, 6, 2) })
    {
        var model = nn.Sequential(("fc1", nn.Linear(inputs, hidden)), ("act", nn.Tanh()), ("fc2", nn.Linear(hidden, classes)));
        model.to(torch.float64);
        var named = model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList();
        using (torch.no_grad())
            foreach (var (name, p) in named)
            {
                p.copy_(torch.randn(p.shape, dtype: torch.float64));
                if (p.dim() >= 2) p.view(-1).index_fill_(0, torch.tensor(new long[] { 0, 3 }), 0.0);
            }
        var x = torch.randn(new long[] { 7, inputs }, dtype: torch.float64);
        var y = torch.randint(0, classes, new long[] { 7 }, dtype: torch.int64);
        foreach (var (l1, l2) in new (double, double)[] { (0.01, 0.1), (0.3, 0.0), (0.0, 2.5), (0.05, 0.7) })
        {
            var data = nn.functional.cross_entropy(model.forward(x), y);
            got.Add(Regularisation.PenalisedLoss(data, model, l1, l2).item<double>());
            double abs = 0, squares = 0;
            foreach (var (name, p) in named)
                if (p.dim() >= 2)
                {
                    abs += p.abs().sum().item<double>();
                    squares += (p * p).sum().item<double>();
                }
            formula.Add(data.item<double>() + l1 * abs + l2 * 0.5 * squares);
        }
    }
    Observe("penalised_losses", torch.tensor(got.ToArray(), dtype: torch.float64));
    Observe("penalised_losses_formula", torch.tensor(formula.ToArray(), dtype: torch.float64));

    var wide = new List<Tensor> { WideRange(3, 4) * torch.sign(torch.randn(new long[] { 3, 4 }, dtype: torch.float64)), WideRange(5), WideRange(2, 3, 2) };
    var l1s = Regularisation.L1(wide);
    var l2s = Regularisation.L2(wide);
    Observe("l1_l2_wide", torch.stack(new[] { l1s, l2s }));
    Observe("l1_l2_wide_formula", torch.stack(new[] {
        wide.Select(t => t.abs().sum()).Aggregate((a, b) => a + b),
        0.5 * wide.Select(t => (t * t).sum()).Aggregate((a, b) => a + b) }));

    // A list of one tensor, float32.
    var single = new List<Tensor> { torch.randn(new long[] { 4, 3 }, dtype: torch.float32) * 3.0f };
    Observe("l1_l2_single", torch.stack(new[] { Regularisation.L1(single), Regularisation.L2(single) }).to_type(torch.float64));
    Observe("l1_l2_single_formula", torch.stack(new[] { single[0].abs().sum(), 0.5f * (single[0] * single[0]).sum() }).to_type(torch.float64));
}
