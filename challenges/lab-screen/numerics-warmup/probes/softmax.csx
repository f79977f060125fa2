// Softmax, float64:
//  - along the middle axis of (B=2, C=5, T=3) per-position class scores (classes on axis 1),
//    compared with the reference, and its sums along that axis (must all be 1);
//  - on large logits (around +-1000), where exp() alone overflows or underflows;
//  - the gradient of a weighted sum of Softmax with respect to its input, over a sweep of shapes
//    and axes (last, middle, first, negative), float64.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var scores = torch.randn(new long[] { 2, 5, 3 }, dtype: torch.float64) * 2.0;
    var probabilities = Numerics.Softmax(scores, 1);
    Observe("softmax_mid_dim", probabilities);
    Observe("softmax_mid_dim_sums", probabilities.sum(1));
    Observe("ones", torch.ones(new long[] { 2, 3 }, dtype: torch.float64));

    var large = torch.tensor(new double[]
    {
        1000, 1001, 1002, 1003, 1004,
        -1000, -1001, -999, -1002, -1003,
        0, 1000, -1000, 3, 2,
    }, dtype: torch.float64).reshape(3, 5);
    Observe("softmax_large", Numerics.Softmax(large, 1));

    var inputs = new System.Collections.Generic.List<Tensor>();
    var outputs = new System.Collections.Generic.List<Tensor>();
    foreach (var (shape, dim) in new (long[], long)[]
    {
        (new long[] { 3, 5 }, 1), (new long[] { 2, 5, 3 }, 1), (new long[] { 4, 3 }, 0), (new long[] { 2, 3, 6 }, -1),
    })
    {
        var input = (torch.randn(shape, dtype: torch.float64) * 2.0).requires_grad_(true);
        inputs.Add(input);
        outputs.Add(Numerics.Softmax(input, dim).reshape(-1));
    }
    ObserveGradients("softmax_grad_sweep", torch.cat(outputs.ToArray(), 0), inputs.ToArray());
}
