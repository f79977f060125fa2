// Properties of the AUC, on N=80 scores rounded to two decimals (some ties), float64:
//  - a strictly increasing transform of the scores (exp(3 s) + 2) leaves it unchanged;
//  - swapping the labels, or negating the scores, gives 1 - AUC;
//  - shuffling the examples leaves it unchanged;
//  - the ROC curve, against the reference, on the tied data and on N=12 distinct scores;
//  - N=3000 scores rounded to two decimals, against the reference.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var y = (torch.rand(new long[] { 80 }, dtype: torch.float64) < 0.45).to(torch.int64);
    y[0] = 1; y[1] = 0;
    var s = ((torch.randn(new long[] { 80 }, dtype: torch.float64) * 0.5 + 0.6 * y.to(torch.float64)) * 100).round() / 100;
    var auc = RocAuc.Auc(s, y);
    Observe("auc", auc);
    Observe("auc_monotone", RocAuc.Auc((s * 3).exp() + 2, y));
    Observe("one_minus_auc", 1 - auc);
    Observe("auc_swapped_labels", RocAuc.Auc(s, 1 - y));
    Observe("auc_negated_scores", RocAuc.Auc(-s, y));
    var perm = torch.randperm(80, dtype: torch.int64);
    Observe("auc_shuffled", RocAuc.Auc(s.index_select(0, perm), y.index_select(0, perm)));

    var (fpr, tpr) = RocAuc.RocCurve(s, y);
    Observe("curve_ties_fpr", fpr);
    Observe("curve_ties_tpr", tpr);

    var yd = torch.tensor(new long[] { 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1 }, dtype: torch.int64);
    var sd = torch.randn(new long[] { 12 }, dtype: torch.float64) + yd.to(torch.float64);
    var (fprD, tprD) = RocAuc.RocCurve(sd, yd);
    Observe("curve_distinct", torch.stack(new[] { fprD, tprD }, 0));

    var yl = (torch.rand(new long[] { 3000 }, dtype: torch.float64) < 0.2).to(torch.int64);
    yl[0] = 1; yl[1] = 0;
    var sl = ((torch.rand(new long[] { 3000 }, dtype: torch.float64) + 0.2 * yl.to(torch.float64)) * 100).round() / 100;
    Observe("auc_large", RocAuc.Auc(sl, yl));
}
