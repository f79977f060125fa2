// Gradients of FlashAttention.Forward with respect to q, k and v, float64, B=2, Tq=4, Tk=11,
// D=5, Dv=3, blocks of 4 (training backpropagates through the kernel), and with scores spread
// wide enough that the running max changes between blocks.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var q = (torch.randn(new long[] { 2, 4, 5 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    var k = (torch.randn(new long[] { 2, 11, 5 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    var v = torch.randn(new long[] { 2, 11, 3 }, dtype: torch.float64).requires_grad_(true);
    var outBlocked = FlashAttention.Forward(q, k, v, 4);
    ObserveGradients("grads", outBlocked, q, k, v);
    var plain = torch.matmul(torch.softmax(torch.matmul(q, k.transpose(1, 2)) / Math.Sqrt(5.0), -1), v);
    ObserveGradients("grads_plain", plain, q, k, v);
}
