// Int8Matmul.Linear and Int8Matmul.Forward.
//  - Linear on hand-made integers (xq uint8 (4, 6) with zero point 37 and scale 0.013, wq int8
//    (5, 6) with per-channel scales), compared with the formula computed here (linear_formula);
//  - Linear when every activation equals the zero point (the quantized zero): y = bias;
//  - Forward over a sweep of shapes (M, K, N) = (1, 6, 4), (5, 3, 7), (2, 8, 3), float64 and
//    float32, and on wide-range inputs (magnitudes 1e-2 to 1e4).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var xq = torch.randint(0, 256, new long[] { 4, 6 }, dtype: torch.int64).to(torch.uint8);
    var wq = torch.randint(-127, 128, new long[] { 5, 6 }, dtype: torch.int64).to(torch.int8);
    var wScale = torch.rand(new long[] { 5 }, dtype: torch.float64) * 0.05 + 0.001;
    var bias = torch.randn(new long[] { 5 }, dtype: torch.float64);
    var y = Int8Matmul.Linear(xq, 0.013, 37, wq, wScale, bias);
    Observe("linear", y);
    var formula = torch.zeros(new long[] { 4, 5 }, dtype: torch.float64);
    var xd = xq.to(torch.float64);
    var wd = wq.to(torch.float64);
    for (int m = 0; m < 4; m++)
        for (int n = 0; n < 5; n++)
            formula[m, n] = 0.013 * wScale[n] * ((xd[m] - 37.0) * wd[n]).sum() + bias[n];
    Observe("linear_formula", formula);

    var atZero = torch.full(new long[] { 3, 6 }, 37, dtype: torch.uint8);
    Observe("zero_input", Int8Matmul.Linear(atZero, 0.013, 37, wq, wScale, bias));
    Observe("bias_rows", bias.reshape(1, 5).expand(3, 5));

    var outs = new List<Tensor>();
    foreach (var (m, k, n) in new (int, int, int)[] { (1, 6, 4), (5, 3, 7), (2, 8, 3) })
    {
        var x = torch.randn(new long[] { m, k }, dtype: torch.float64) * 1.5 + 0.3;
        var w = torch.randn(new long[] { n, k }, dtype: torch.float64);
        var b = torch.randn(new long[] { n }, dtype: torch.float64);
        outs.Add(Int8Matmul.Forward(x, w, b));
        outs.Add(Int8Matmul.Forward(x.to(torch.float32), w.to(torch.float32), b.to(torch.float32)));
    }
    ObserveAll("forward_sweep", outs);
    Observe("forward_wide", Int8Matmul.Forward(WideRange(3, 5), WideRange(4, 5), WideRange(4)));
}
