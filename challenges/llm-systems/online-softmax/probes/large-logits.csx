// Large scores.
//  - OnlineSoftmax on blocks of scores around -1000 and -1e6 (float64) and -300 (float32), against the same
//    blocks shifted back to around 0: softmax does not change when every score of a query moves
//    by the same amount (shifted vs unshifted);
//  - scores whose running max jumps by 40 and 400 between blocks;
//  - FlashAttention.Forward with inputs of magnitudes 1e-2 to 1e4 (scores up to about 1e8), float64.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

Tensor Run(Tensor[] scores, Tensor[] values, ScalarType dtype)
{
    var acc = new OnlineSoftmax(scores[0].shape[0], scores[0].shape[1], values[0].shape[2], dtype);
    for (int i = 0; i < scores.Length; i++)
        acc.Update(scores[i], values[i]);
    return acc.Result();
}

using (var scope = torch.NewDisposeScope())
{
    var sizes = new[] { 4, 3, 2 };
    var scores = new Tensor[3];
    var values = new Tensor[3];
    for (int i = 0; i < 3; i++)
    {
        scores[i] = torch.randn(new long[] { 2, 3, sizes[i] }, dtype: torch.float64) * 3.0;
        values[i] = torch.randn(new long[] { 2, sizes[i], 5 }, dtype: torch.float64);
    }
    var shifted = new Tensor[3];
    var shiftedFar = new Tensor[3];
    var shifted32 = new Tensor[3];
    var scores32 = new Tensor[3];
    var values32 = new Tensor[3];
    for (int i = 0; i < 3; i++)
    {
        shifted[i] = scores[i] - 1000.0;
        shiftedFar[i] = scores[i] - 1.0e6;
        scores32[i] = scores[i].to(torch.float32);
        shifted32[i] = (scores[i] - 300.0).to(torch.float32);
        values32[i] = values[i].to(torch.float32);
    }
    Observe("unshifted", Run(scores, values, torch.float64));
    Observe("shifted", Run(shifted, values, torch.float64));
    Observe("shifted_far", Run(shiftedFar, values, torch.float64));
    Observe("unshifted_f32", Run(scores32, values32, torch.float32));
    Observe("shifted_f32", Run(shifted32, values32, torch.float32));

    var jumps = new Tensor[3];
    jumps[0] = scores[0];
    jumps[1] = scores[1] + 40.0;
    jumps[2] = scores[2] + 440.0;
    Observe("jumps", Run(jumps, values, torch.float64));
    var allJumps = torch.cat(jumps, -1);
    Observe("jumps_plain", torch.matmul(torch.softmax(allJumps, -1), torch.cat(values, 1)));

    var q = WideRange(2, 3, 5);
    var k = WideRange(2, 7, 5);
    var v = WideRange(2, 7, 3);
    Observe("wide", FlashAttention.Forward(q, k, v, 3));
}
