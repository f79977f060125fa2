// The same scores rounded to one decimal, so that many examples share a score, before and after
// shuffling the rows. Rounding loses a little information; shuffling should change nothing.
var rounded = (scores * 10).round() / 10;
var perm = randperm(400, dtype: int64);
Console.WriteLine($"AUC rounded:          {RocAuc.Auc(rounded, labels):F4}");
Console.WriteLine($"AUC rounded shuffled: {RocAuc.Auc(rounded.index_select(0, perm), labels.index_select(0, perm)):F4}");
Console.WriteLine($"AUC all scores equal: {RocAuc.Auc(zeros(400, dtype: float64), labels):F4}   (a constant score has AUC 0.5)");
