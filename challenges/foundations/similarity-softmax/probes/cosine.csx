// Normalize and CosineMatrix, float64:
//  - CosineMatrix over shapes (N, M, D) = (3, 4, 5), (6, 2, 3), (5, 5, 2) and batched
//    (2, 3, 4) x (2, 5, 4), against the reference;
//  - scaling each row by its own positive factor (1e-3 .. 1e3) leaves the cosines unchanged;
//  - the cosine of a row with itself is 1;
//  - rows of zeros (padding) and rows of norm about 1e-10, against the reference;
//  - Normalize along axis 0 and along axis -1 of a (4, 3, 5) tensor;
//  - the gradient of CosineMatrix and of Normalize with respect to their inputs.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var sweep = new List<Tensor>();
    foreach (var (n, m, d) in new (long, long, long)[] { (3, 4, 5), (6, 2, 3), (5, 5, 2) })
        sweep.Add(Similarity.CosineMatrix(torch.randn(new long[] { n, d }, dtype: torch.float64) * 3.0, torch.randn(new long[] { m, d }, dtype: torch.float64)));
    sweep.Add(Similarity.CosineMatrix(torch.randn(new long[] { 2, 3, 4 }, dtype: torch.float64), torch.randn(new long[] { 2, 5, 4 }, dtype: torch.float64)));
    ObserveAll("cosine_sweep", sweep);

    var a = torch.randn(new long[] { 5, 4 }, dtype: torch.float64);
    var b = torch.randn(new long[] { 3, 4 }, dtype: torch.float64);
    var rowScale = torch.tensor(new double[] { 1e-3, 2.0, 1e3, 0.5, 40.0 }, dtype: torch.float64).unsqueeze(1);
    Observe("cosine_plain", Similarity.CosineMatrix(a, b));
    Observe("cosine_rows_scaled", Similarity.CosineMatrix(a * rowScale, b * rowScale.narrow(0, 1, 3)));
    Observe("self_cosine", Similarity.CosineMatrix(a, a).diagonal());
    Observe("ones", torch.ones(new long[] { 5 }, dtype: torch.float64));

    var padded = torch.randn(new long[] { 4, 3 }, dtype: torch.float64);
    padded[1] = torch.zeros(3, dtype: torch.float64);
    padded[3] = torch.randn(3, dtype: torch.float64) * 1e-10;
    var other = torch.randn(new long[] { 2, 3 }, dtype: torch.float64);
    Observe("cosine_zero_and_tiny_rows", Similarity.CosineMatrix(padded, other));
    Observe("normalize_zero_and_tiny_rows", Similarity.Normalize(padded, -1));

    var cube = torch.randn(new long[] { 4, 3, 5 }, dtype: torch.float64);
    ObserveAll("normalize_axes", new List<Tensor> { Similarity.Normalize(cube, 0), Similarity.Normalize(cube, -1), Similarity.Normalize(cube, 1, 1e-3) });

    var ga = torch.randn(new long[] { 3, 4 }, dtype: torch.float64).requires_grad_(true);
    var gb = torch.randn(new long[] { 5, 4 }, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("cosine_gradient", Similarity.CosineMatrix(ga, gb), ga, gb);
    var gc = torch.randn(new long[] { 2, 3, 4 }, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("normalize_gradient", Similarity.Normalize(gc, 1), gc);
}
