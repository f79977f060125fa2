// LstmCell.Step, float64, over a sweep of (B, inputSize, H): (3, 4, 5), (1, 6, 2), (4, 2, 7), the
// last with inputs and states of large magnitude (up to 1e4). Weights injected by name. Observed:
// the next (h, c) against the reference and against TorchSharp's own nn.LSTMCell given the same
// weights (weight_ih = input.weight, bias_ih = input.bias, weight_hh = hidden.weight,
// bias_hh = 0), which follows the stated equations and gate order.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var ours = new List<Tensor>();
    var library = new List<Tensor>();
    foreach (var (b, inputSize, hiddenSize, wide) in new (int, int, int, bool)[] { (3, 4, 5, false), (1, 6, 2, false), (4, 2, 7, true) })
    {
        var cell = new LstmCell(inputSize, hiddenSize);
        cell.to(torch.float64);
        var named = cell.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        using (torch.no_grad())
            foreach (var name in named.Keys.OrderBy(n => n, StringComparer.Ordinal))
                named[name].copy_(torch.randn(named[name].shape, dtype: torch.float64) * 0.7);
        var torchCell = nn.LSTMCell(inputSize, hiddenSize);
        torchCell.to(torch.float64);
        var lib = torchCell.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        using (torch.no_grad())
        {
            lib["weight_ih"].copy_(named["input.weight"]);
            lib["bias_ih"].copy_(named["input.bias"]);
            lib["weight_hh"].copy_(named["hidden.weight"]);
            lib["bias_hh"].zero_();
        }
        var x = wide ? WideRange(b, inputSize) * torch.sign(torch.randn(new long[] { b, inputSize }, dtype: torch.float64)) : torch.randn(new long[] { b, inputSize }, dtype: torch.float64);
        var h = torch.randn(new long[] { b, hiddenSize }, dtype: torch.float64);
        var c = wide ? WideRange(b, hiddenSize) * torch.sign(torch.randn(new long[] { b, hiddenSize }, dtype: torch.float64)) : torch.randn(new long[] { b, hiddenSize }, dtype: torch.float64) * 2.0;
        using (torch.no_grad())
        {
            var (hNext, cNext) = cell.Step(x, h, c);
            ours.Add(hNext.reshape(-1));
            ours.Add(cNext.reshape(-1));
            var (hLib, cLib) = torchCell.forward(x, (h, c));
            library.Add(hLib.reshape(-1));
            library.Add(cLib.reshape(-1));
        }
    }
    Observe("step_states", torch.cat(ours.ToArray(), 0));
    Observe("step_states_library", torch.cat(library.ToArray(), 0));
}
