// OnlineSoftmax used directly, float64, B=2, Tq=3, Dv=4, four blocks of keys of sizes 3, 2, 5, 1
// whose scores rise from block to block (the running max changes at every block) and start
// below zero. After each block: the running max, sum and accumulator (state); at the end the
// result, compared with plain softmax(all scores) @ values (plain).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int B = 2, Tq = 3, Dv = 4;
    var sizes = new[] { 3, 2, 5, 1 };
    var offsets = new[] { -6.0, -1.0, 4.0, 9.0 };
    var acc = new OnlineSoftmax(B, Tq, Dv, torch.float64);
    var state = new List<Tensor>();
    var allScores = new List<Tensor>();
    var allValues = new List<Tensor>();
    for (int i = 0; i < sizes.Length; i++)
    {
        var scores = torch.randn(new long[] { B, Tq, sizes[i] }, dtype: torch.float64) + offsets[i];
        var values = torch.randn(new long[] { B, sizes[i], Dv }, dtype: torch.float64);
        acc.Update(scores, values);
        state.Add(acc.RunningMax);
        state.Add(acc.RunningSum);
        state.Add(acc.Accumulator);
        allScores.Add(scores);
        allValues.Add(values);
    }
    ObserveAll("state", state);
    Observe("result", acc.Result());
    var s = torch.cat(allScores.ToArray(), -1);
    var vv = torch.cat(allValues.ToArray(), 1);
    Observe("plain", torch.matmul(torch.softmax(s, -1), vv));

    // One block alone, scores all below zero: the max after it is the block's own max.
    var single = new OnlineSoftmax(1, 4, 2, torch.float64);
    var negative = torch.randn(new long[] { 1, 4, 5 }, dtype: torch.float64) - 3.0;
    single.Update(negative, torch.randn(new long[] { 1, 5, 2 }, dtype: torch.float64));
    Observe("single_block_max", single.RunningMax);
    Observe("single_block_expected_max", negative.amax(new long[] { -1 }, keepdim: true));
}
