// LstmCell.Forward over sequences, float64, (B, T, inputSize, H) = (2, 6, 3, 4) and (3, 9, 2, 5),
// weights injected by name. Observed: every hidden state and the final (h, c), against the
// reference and against TorchSharp's nn.LSTMCell run step by step with the same weights; the
// final h against the last output; the gradients of a weighted sum of all outputs and of the
// final c with respect to the input sequence and to every parameter (through time); and the
// largest |d output[t] / d x[s]| over s > t in the first case (must be 0: no step sees the future).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var ours = new List<Tensor>();
    var library = new List<Tensor>();
    var lastOutputs = new List<Tensor>();
    var finalH = new List<Tensor>();
    double futureGradient = 0;
    foreach (var (b, steps, inputSize, hiddenSize) in new (int, int, int, int)[] { (2, 6, 3, 4), (3, 9, 2, 5) })
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
        var xs = (torch.randn(new long[] { b, steps, inputSize }, dtype: torch.float64) * 1.5).requires_grad_(true);
        var (outputs, h, c) = cell.Forward(xs);
        ours.Add(outputs.detach().reshape(-1));
        ours.Add(h.detach().reshape(-1));
        ours.Add(c.detach().reshape(-1));
        lastOutputs.Add(outputs.detach().select(1, steps - 1).reshape(-1));
        finalH.Add(h.detach().reshape(-1));
        using (torch.no_grad())
        {
            var hl = torch.zeros(new long[] { b, hiddenSize }, dtype: torch.float64);
            var cl = torch.zeros(new long[] { b, hiddenSize }, dtype: torch.float64);
            var libOutputs = new List<Tensor>();
            for (int t = 0; t < steps; t++)
            {
                (hl, cl) = torchCell.forward(xs.detach().select(1, t), (hl, cl));
                libOutputs.Add(hl);
            }
            library.Add(torch.stack(libOutputs.ToArray(), 1).reshape(-1));
            library.Add(hl.reshape(-1));
            library.Add(cl.reshape(-1));
        }

        var w = torch.randn(outputs.shape, dtype: torch.float64);
        var wc = torch.randn(c.shape, dtype: torch.float64);
        var objective = (outputs * w).sum() + (c * wc).sum();
        var parameters = cell.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => (Tensor)np.parameter).ToList();
        var grads = torch.autograd.grad(new[] { objective }, new List<Tensor> { xs }.Concat(parameters).ToArray(), retain_graph: true, allow_unused: true);
        Observe($"gradients_through_time_{b}", torch.cat(grads.Select((g, k) => (g is null ? torch.zeros_like(k == 0 ? xs : parameters[k - 1]) : g).reshape(-1)).ToArray(), 0));

        for (int t = 0; b == 2 && t < steps - 1; t++)
        {
            var probeW = torch.randn(new long[] { b, hiddenSize }, dtype: torch.float64);
            var g = torch.autograd.grad(new[] { (outputs.select(1, t) * probeW).sum() }, new[] { xs }, retain_graph: true)[0];
            futureGradient = Math.Max(futureGradient, g.narrow(1, t + 1, steps - 1 - t).abs().max().item<double>());
        }
    }
    Observe("sequence_states", torch.cat(ours.ToArray(), 0));
    Observe("sequence_states_library", torch.cat(library.ToArray(), 0));
    Observe("last_outputs", torch.cat(lastOutputs.ToArray(), 0));
    Observe("final_h", torch.cat(finalH.ToArray(), 0));
    Observe("future_gradient_max_abs", futureGradient);
}
