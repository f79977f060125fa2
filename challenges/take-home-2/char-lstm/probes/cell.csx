// LstmCell on its own:
//  - the initial parameters of fresh cells of several sizes: the biases, and the range of the weights;
//    their HiddenDim;
//  - float64 with injected weights: three steps from a random state, on 2-D and 3-D inputs;
//    gradients w.r.t. the inputs, the initial state and the parameters; a step on inputs and a cell
//    state of large magnitude.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(0.6 * torch.randn(p.shape, dtype: torch.float64));
}

using (var scope = torch.NewDisposeScope())
{
    var biases = new List<Tensor>();
    var sizes = new List<double>();
    double widest = 0, narrowest = double.PositiveInfinity;
    foreach (var (input, hidden) in new[] { (5, 7), (3, 4), (2, 9), (6, 2) })
    {
        using var fresh = new LstmCell(input, hidden);
        sizes.Add(fresh.HiddenDim);
        foreach (var (name, p) in fresh.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal))
        {
            if (name == "bias")
            {
                biases.Add(p.detach().clone());
                continue;
            }
            double reach = p.abs().max().to(torch.float64).ToDouble() * Math.Sqrt(hidden);
            widest = Math.Max(widest, reach);
            narrowest = Math.Min(narrowest, reach);
        }
    }
    ObserveAll("initial_biases", biases);
    Observe("hidden_dims", torch.tensor(sizes.ToArray(), dtype: torch.float64));
    Observe("initial_weight_reach_max", widest);
    Observe("initial_weight_reach_min", narrowest);

    using var cell = new LstmCell(5, 7);
    cell.to(torch.float64);
    Inject(cell);
    var states = new List<Tensor>();
    var x = torch.randn(new long[] { 3, 3, 5 }, dtype: torch.float64).requires_grad_();
    var h0 = torch.randn(new long[] { 3, 7 }, dtype: torch.float64).requires_grad_();
    var c0 = (2.0 * torch.randn(new long[] { 3, 7 }, dtype: torch.float64)).requires_grad_();
    Tensor h = h0, c = c0;
    for (int t = 0; t < 3; t++)
    {
        (h, c) = cell.Step(x.select(1, t), h, c);
        states.Add(h.detach().clone());
        states.Add(c.detach().clone());
    }
    // Leading dimensions (2, 4): the gates are split along the last axis.
    var (h3d, c3d) = cell.Step(torch.randn(new long[] { 2, 4, 5 }, dtype: torch.float64),
        torch.randn(new long[] { 2, 4, 7 }, dtype: torch.float64), torch.randn(new long[] { 2, 4, 7 }, dtype: torch.float64));
    states.Add(h3d.detach().clone());
    states.Add(c3d.detach().clone());
    ObserveAll("steps", states);

    var both = torch.cat(new[] { h, c }, -1);
    ObserveGradients("input_gradients", both, x, h0, c0);
    var weights = torch.cos(torch.arange(1, both.numel() + 1, dtype: torch.float64)).reshape(both.shape);
    ObserveParameterGradients("parameter_gradients", cell, (both * weights).sum());

    using (torch.no_grad())
    {
        var (hw, cw) = cell.Step(WideRange(3, 5), torch.randn(new long[] { 3, 7 }, dtype: torch.float64), WideRange(3, 7));
        Observe("wide_h", hw);
        Observe("wide_c", cw);
    }
}
