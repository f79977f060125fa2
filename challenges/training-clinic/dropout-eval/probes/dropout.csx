// InvertedDropout alone, float64, for p = 0.25 and p = 0.6 on a (100, 200) input of positive
// values (20,000 entries), in training mode. Observed:
//  - the largest |mean(output) / mean(input) - 1| over both p (the expectation is kept);
//  - the largest |share of zeroed entries - p| over both p;
//  - the kept entries times (1 - p), and the same entries of the input;
//  - the gradient of sum(w * output) w.r.t. the input, and w * (output != 0) / (1 - p);
//  - a small (3, 4) training-mode output against the reference (same seed);
//  - the output in eval mode and with p = 0 in training mode, and the input (typical and large
//    magnitudes, (10, 6)), and their gradients w.r.t. the input.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    double ratioError = 0, fractionError = 0;
    var keptBack = new List<Tensor>();
    var keptInputs = new List<Tensor>();
    var grads = new List<Tensor>();
    var expectedGrads = new List<Tensor>();
    foreach (var p in new[] { 0.25, 0.6 })
    {
        var dropout = new InvertedDropout(p);
        dropout.train();
        var x = (torch.rand(new long[] { 100, 200 }, dtype: torch.float64) + 0.5).requires_grad_(true);
        var y = dropout.forward(x);
        var kept = y.detach().ne(0);
        ratioError = Math.Max(ratioError, Math.Abs(y.detach().mean().item<double>() / x.detach().mean().item<double>() - 1.0));
        fractionError = Math.Max(fractionError, Math.Abs(1.0 - kept.to_type(torch.float64).mean().item<double>() - p));
        keptBack.Add(y.detach().masked_select(kept) * (1.0 - p));
        keptInputs.Add(x.detach().masked_select(kept));
        var w = torch.randn(new long[] { 100, 200 }, dtype: torch.float64);
        (y * w).sum().backward();
        grads.Add(x.grad!.reshape(-1));
        expectedGrads.Add((w * kept.to_type(torch.float64) / (1.0 - p)).reshape(-1));
    }
    Observe("mean_ratio_error", ratioError);
    Observe("drop_fraction_error", fractionError);
    Observe("kept_scaled_back", torch.cat(keptBack.ToArray(), 0));
    Observe("kept_inputs", torch.cat(keptInputs.ToArray(), 0));
    Observe("dropout_gradient", torch.cat(grads.ToArray(), 0));
    Observe("dropout_gradient_expected", torch.cat(expectedGrads.ToArray(), 0));

    var small = new InvertedDropout(0.35);
    small.train();
    Observe("small_train_output", small.forward(torch.randn(new long[] { 3, 4 }, dtype: torch.float64)));

    var input = torch.cat(new[] { torch.randn(new long[] { 5, 6 }, dtype: torch.float64), WideRange(5, 6) }, 0);
    var evalDropout = new InvertedDropout(0.3);
    evalDropout.eval();
    var identity = new InvertedDropout(0.0);
    identity.train();
    Observe("eval_output", evalDropout.forward(input));
    Observe("p0_output", identity.forward(input));
    Observe("input", input);
    var evalInput = input.clone().requires_grad_(true);
    var p0Input = input.clone().requires_grad_(true);
    ObserveGradients("eval_and_p0_gradients", torch.cat(new[] { evalDropout.forward(evalInput), identity.forward(p0Input) }, 0), evalInput, p0Input);
}
