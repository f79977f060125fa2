// Gradients, float64. A model Linear(4, 5) "fc1", Tanh, Linear(5, 3) "fc2" with weights injected
// and every third entry of each weight matrix exactly 0 (a pruned model), cross-entropy on a batch
// of 6 as the data loss, (l1, l2) = (0.05, 0.4) and (0.2, 1.5). Observed, for every parameter in
// name order: the gradient of PenalisedLoss, against the reference and against
// grad(data loss) + l1 * sign(w) + l2 * w for weight matrices (grad(data loss) for biases), computed
// here; whether every gradient is finite. Then the gradients of L1 and of L2 alone with respect to
// tensors with entries from 1e-2 to 1e4, some negative, some exactly 0.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var model = nn.Sequential(("fc1", nn.Linear(4, 5)), ("act", nn.Tanh()), ("fc2", nn.Linear(5, 3)));
    model.to(torch.float64);
    var named = model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList();
    using (torch.no_grad())
        foreach (var (name, p) in named)
        {
            p.copy_(torch.randn(p.shape, dtype: torch.float64));
            if (p.dim() >= 2) p.view(-1).index_fill_(0, torch.arange(0, p.numel(), 3), 0.0);
        }
    var parameters = named.Select(np => (Tensor)np.parameter).ToArray();
    var x = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    var y = torch.tensor(new long[] { 0, 2, 1, 1, 0, 2 }, dtype: torch.int64);

    var got = new List<Tensor>();
    var expected = new List<Tensor>();
    bool finite = true;
    foreach (var (l1, l2) in new (double, double)[] { (0.05, 0.4), (0.2, 1.5) })
    {
        var data = nn.functional.cross_entropy(model.forward(x), y);
        var total = Regularisation.PenalisedLoss(data, model, l1, l2);
        var gTotal = torch.autograd.grad(new[] { total }, parameters, retain_graph: true, allow_unused: true);
        var gData = torch.autograd.grad(new[] { data }, parameters);
        for (int i = 0; i < parameters.Length; i++)
        {
            var g = gTotal[i] is null ? torch.zeros_like(parameters[i]) : gTotal[i];
            got.Add(g.reshape(-1));
            finite &= g.isfinite().all().item<bool>();
            var p = parameters[i].detach();
            var e = p.dim() >= 2 ? gData[i] + l1 * torch.sign(p) + l2 * p : gData[i];
            expected.Add(e.reshape(-1));
        }
    }
    Observe("penalised_gradients", torch.cat(got.ToArray(), 0));
    Observe("penalised_gradients_formula", torch.cat(expected.ToArray(), 0));
    Observe("gradients_finite", finite);

    var a = (WideRange(3, 4) * torch.sign(torch.randn(new long[] { 3, 4 }, dtype: torch.float64))).index_fill(1, torch.tensor(new long[] { 2 }), 0.0).requires_grad_(true);
    var b = WideRange(6).requires_grad_(true);
    ObserveGradients("l1_gradient_wide", Regularisation.L1(new List<Tensor> { a, b }), a, b);
    var c = (WideRange(3, 4) * torch.sign(torch.randn(new long[] { 3, 4 }, dtype: torch.float64))).requires_grad_(true);
    var d = WideRange(6).requires_grad_(true);
    ObserveGradients("l2_gradient_wide", Regularisation.L2(new List<Tensor> { c, d }), c, d);
}
