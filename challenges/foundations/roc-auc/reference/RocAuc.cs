using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// ROC curve and the area under it (ROC AUC) for a binary classifier's scores. Scores are (N,)
/// float32 or float64 (higher means "more likely positive"), labels are (N,) with values 0 and 1
/// (any numeric dtype); both classes must be present.
/// </summary>
public static class RocAuc
{
    /// <summary>
    /// The ROC curve: one point per distinct score, taken as the threshold from the highest score
    /// down, preceded by (0, 0). A point is (false-positive rate, true-positive rate) when every
    /// example scoring at least the threshold is called positive. Both tensors are float64 and
    /// have (number of distinct scores + 1) entries; the last point is (1, 1).
    /// </summary>
    public static (Tensor fpr, Tensor tpr) RocCurve(Tensor scores, Tensor labels)
    {
        using (torch.no_grad())
        {
            var y = labels.to(torch.float64);
            var positives = y.sum();
            var negatives = (1 - y).sum();
            if (positives.item<double>() == 0 || negatives.item<double>() == 0)
                throw new ArgumentException("the labels must contain both classes.");

            var (sorted, order) = scores.sort(0, descending: true, stable: true);
            var ySorted = y.index_select(0, order);
            var tp = ySorted.cumsum(0);                       // true positives above each cut
            var fp = (1 - ySorted).cumsum(0);                 // false positives above each cut

            // Equal scores share one threshold: keep only the last example of each run of ties.
            long n = scores.shape[0];
            var lastOfGroup = torch.cat(new[]
            {
                sorted.narrow(0, 1, n - 1) != sorted.narrow(0, 0, n - 1),
                torch.ones(1, dtype: torch.@bool),
            }, 0);
            tp = tp.masked_select(lastOfGroup);
            fp = fp.masked_select(lastOfGroup);

            var origin = torch.zeros(1, dtype: torch.float64);
            return (torch.cat(new[] { origin, fp }, 0) / negatives, torch.cat(new[] { origin, tp }, 0) / positives);
        }
    }

    /// <summary>
    /// The area under the ROC curve by the trapezoidal rule. It equals the Mann–Whitney statistic:
    /// the share of (positive, negative) pairs in which the positive scores higher, a tie counting
    /// one half.
    /// </summary>
    public static double Auc(Tensor scores, Tensor labels)
    {
        using (torch.no_grad())
        {
            var (fpr, tpr) = RocCurve(scores, labels);
            long m = fpr.shape[0];
            var width = fpr.narrow(0, 1, m - 1) - fpr.narrow(0, 0, m - 1);
            var height = (tpr.narrow(0, 1, m - 1) + tpr.narrow(0, 0, m - 1)) / 2;
            return (width * height).sum().item<double>();
        }
    }
}
