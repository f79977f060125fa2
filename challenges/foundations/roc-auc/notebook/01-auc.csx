// 400 examples of a classifier better than chance: positives score 1 higher on average, with unit
// noise. Its AUC should be about 0.76 (= Phi(1 / sqrt 2)), the same whatever the order of the rows.
using System;
using TorchSharp;
using static TorchSharp.torch;

var labels = (rand(new long[] { 400 }, dtype: float64) < 0.3).to(int64);
var scores = randn(new long[] { 400 }, dtype: float64) + labels.to(float64);
Console.WriteLine($"AUC: {RocAuc.Auc(scores, labels):F4}");
var (fpr, tpr) = RocAuc.RocCurve(scores, labels);
for (long i = 0; i < fpr.shape[0]; i += 8)
    Plot("ROC curve (x: false-positive rate)", fpr[i].item<double>(), tpr[i].item<double>());
