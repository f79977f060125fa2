// Auc, against the reference and against the Mann–Whitney statistic computed pair by pair
// (the share of (positive, negative) pairs where the positive scores higher, ties counting 1/2):
//  - continuous scores, N = 7, 50 and 400, about 30% positives;
//  - scores rounded to one decimal (many ties), N = 60; integer ratings 1..5, N = 30;
//  - all scores equal (0.5), perfect and reversed rankings (1 and 0);
//  - float32 scores; labels given as float64 0/1 and as bool-like int32.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

double MannWhitney(Tensor s, Tensor y)
{
    var pos = s.to(torch.float64).masked_select(y.to(torch.float64) == 1);
    var neg = s.to(torch.float64).masked_select(y.to(torch.float64) == 0);
    var greater = (pos.unsqueeze(1) > neg.unsqueeze(0)).to(torch.float64);
    var equal = (pos.unsqueeze(1) == neg.unsqueeze(0)).to(torch.float64);
    return (greater + 0.5 * equal).mean().item<double>();
}

Tensor Labels(long n, double share)
{
    var y = (torch.rand(new long[] { n }, dtype: torch.float64) < share).to(torch.int64);
    y[0] = 1; y[1] = 0;                              // both classes present
    return y;
}

using (var scope = torch.NewDisposeScope())
{
    var continuous = new List<double>();
    foreach (var n in new long[] { 7, 50, 400 })
    {
        var y = Labels(n, 0.3);
        var s = torch.randn(new long[] { n }, dtype: torch.float64) + 0.8 * y.to(torch.float64);
        continuous.Add(RocAuc.Auc(s, y));
    }
    Observe("auc_continuous", torch.tensor(continuous.ToArray(), dtype: torch.float64));

    var yt = Labels(60, 0.4);
    var st = ((torch.rand(new long[] { 60 }, dtype: torch.float64) + 0.3 * yt.to(torch.float64)) * 10).round() / 10;
    Observe("auc_ties", RocAuc.Auc(st, yt));
    Observe("mann_whitney_ties", MannWhitney(st, yt));

    var yr = Labels(30, 0.5);
    var ratings = (torch.randint(1, 5, new long[] { 30 }, dtype: torch.int64) + yr).clamp_max(5).to(torch.float64);
    Observe("auc_ratings", RocAuc.Auc(ratings, yr));
    Observe("mann_whitney_ratings", MannWhitney(ratings, yr));

    var yc = Labels(40, 0.5);
    var sc = torch.randn(new long[] { 40 }, dtype: torch.float64) + yc.to(torch.float64);
    Observe("auc_continuous_40", RocAuc.Auc(sc, yc));
    Observe("mann_whitney_continuous_40", MannWhitney(sc, yc));

    var yk = Labels(9, 0.5);
    var special = new List<double>
    {
        RocAuc.Auc(torch.full(new long[] { 9 }, 0.25, dtype: torch.float64), yk),
        RocAuc.Auc(yk.to(torch.float64) * 2 + 0.1 * torch.rand(new long[] { 9 }, dtype: torch.float64), yk),
        RocAuc.Auc(-yk.to(torch.float64), yk),
    };
    Observe("auc_special", torch.tensor(special.ToArray(), dtype: torch.float64));
    Observe("half_one_zero", torch.tensor(new double[] { 0.5, 1.0, 0.0 }, dtype: torch.float64));

    var y32 = Labels(25, 0.5);
    var s32 = (torch.randn(new long[] { 25 }, dtype: torch.float64) + y32.to(torch.float64)).to(torch.float32);
    Observe("auc_float32", RocAuc.Auc(s32, y32.to(torch.float64)));
    Observe("auc_int32_labels", RocAuc.Auc(s32, y32.to(torch.int32)));
}
