// Gradient and dtype, headDim 6, trained at 10 positions and run at 25:
//  - the gradient of a weighted sum of Apply's output w.r.t. a float64 input (2, 2, 5, 6), start 1;
//  - Apply on float32 input (3, 4, 6) from position 0: the values, and whether the result stays float32.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var rope = new RotaryEmbedding(6, 10, 25);
    var x = torch.randn(new long[] { 2, 2, 5, 6 }, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("input_gradient", rope.Apply(x, 1), x);

    var x32 = torch.randn(new long[] { 3, 4, 6 }, dtype: torch.float32);
    var y32 = rope.Apply(x32);
    Observe("float32_stays_float32", y32.dtype == torch.float32);
    Observe("out_float32", y32.to_type(torch.float64));
}
