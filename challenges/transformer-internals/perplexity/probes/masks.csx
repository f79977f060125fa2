// RealTokens for lengths (3, 0, 7, 5) and T = 7, as 0 / 1, and for lengths (1, 4) and T = 4.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    Observe("mask_a", PerplexityEval.RealTokens(torch.tensor(new long[] { 3, 0, 7, 5 }), 7).to_type(torch.float64));
    Observe("mask_b", PerplexityEval.RealTokens(torch.tensor(new long[] { 1, 4 }), 4).to_type(torch.float64));
}
