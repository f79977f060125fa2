// Gradcheck, float64: over a sweep of shapes (5, 3), (2, 4, 5), (7,) and (3, 2) with inputs of
// large magnitude (up to 1e4) in the last case, beta from the seeded generator (some negative),
// the gradients of sum(w * ParametricSwishFunction.apply(x, beta)) w.r.t. x and beta through
// autograd, against central finite differences (h = 1e-6) of the same function, and against the
// reference. Also SwishMath.Backward called directly with the same w, against the reference, and
// the gradients of a weighted sum of its outputs w.r.t. x, beta and w (it is differentiable);
// the plain-autograd gradients of SwishMath.Forward; SwishMath.Backward for inputs up to 1e4.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var autograd = new List<Tensor>();
    var finite = new List<Tensor>();
    var direct = new List<Tensor>();
    var secondOrder = new List<Tensor>();
    foreach (var shape in new[] { new long[] { 5, 3 }, new long[] { 2, 4, 5 }, new long[] { 7 }, new long[] { 3, 2 } })
    {
        long c = shape[^1];
        var x0 = shape.Length == 2 && shape[0] == 3 ? WideRange(shape) * torch.sign(torch.randn(shape, dtype: torch.float64)) * 1e-2
                                                     : torch.randn(shape, dtype: torch.float64) * 2.0;
        var beta0 = torch.randn(c, dtype: torch.float64) + 0.5;
        var w = torch.randn(shape, dtype: torch.float64);

        var x = x0.clone().requires_grad_(true);
        var beta = beta0.clone().requires_grad_(true);
        var y = ParametricSwishFunction.apply(x, beta);
        (y * w).sum().backward();
        autograd.Add(x.grad!.reshape(-1));
        autograd.Add(beta.grad!.reshape(-1));

        const double h = 1e-6;
        using (torch.no_grad())
        {
            double F(Tensor xv, Tensor bv) => (ParametricSwishFunction.apply(xv, bv) * w).sum().item<double>();
            var fx = torch.zeros(x0.numel(), dtype: torch.float64);
            var flatX = x0.reshape(-1);
            for (long i = 0; i < x0.numel(); i++)
            {
                var plus = flatX.clone(); plus[i] += h;
                var minus = flatX.clone(); minus[i] -= h;
                fx[i] = (F(plus.reshape(shape), beta0) - F(minus.reshape(shape), beta0)) / (2 * h);
            }
            var fb = torch.zeros(c, dtype: torch.float64);
            for (long j = 0; j < c; j++)
            {
                var plus = beta0.clone(); plus[j] += h;
                var minus = beta0.clone(); minus[j] -= h;
                fb[j] = (F(x0, plus) - F(x0, minus)) / (2 * h);
            }
            finite.Add(fx);
            finite.Add(fb);
        }

        var (gx, gb) = SwishMath.Backward(x0, beta0, w);
        direct.Add(gx.reshape(-1));
        direct.Add(gb.reshape(-1));

        // Backward is itself differentiable: second-order gradients through the formula.
        var x2 = x0.clone().requires_grad_(true);
        var beta2 = beta0.clone().requires_grad_(true);
        var w2 = w.clone().requires_grad_(true);
        var (gx2, gb2) = SwishMath.Backward(x2, beta2, w2);
        var objective = (gx2 * torch.randn(shape, dtype: torch.float64)).sum() + (gb2 * torch.randn(c, dtype: torch.float64)).sum();
        var second = torch.autograd.grad(new[] { objective }, new[] { x2, beta2, w2 }, allow_unused: true);
        for (int k = 0; k < 3; k++)
            secondOrder.Add((second[k] is null ? torch.zeros_like(new[] { x2, beta2, w2 }[k]) : second[k]).reshape(-1));
    }
    // SwishMath.Forward on its own is differentiable with plain autograd; and SwishMath.Backward on
    // inputs of magnitude up to 1e4, where beta * x lies far outside [-10, 10].
    var xf = (torch.randn(new long[] { 4, 3 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    var bf = (torch.randn(3, dtype: torch.float64) + 0.5).requires_grad_(true);
    ObserveGradients("forward_autograd_gradients", SwishMath.Forward(xf, bf), xf, bf);
    var xw = WideRange(4, 3) * torch.sign(torch.randn(new long[] { 4, 3 }, dtype: torch.float64));
    var bw = torch.randn(3, dtype: torch.float64);
    var (gxw, gbw) = SwishMath.Backward(xw, bw, torch.randn(new long[] { 4, 3 }, dtype: torch.float64));
    Observe("backward_wide", torch.cat(new[] { gxw.reshape(-1), gbw.reshape(-1) }, 0));

    Observe("autograd_gradients", torch.cat(autograd.ToArray(), 0));
    Observe("finite_difference_gradients", torch.cat(finite.ToArray(), 0));
    Observe("direct_backward", torch.cat(direct.ToArray(), 0));
    Observe("backward_second_order", torch.cat(secondOrder.ToArray(), 0));
}
