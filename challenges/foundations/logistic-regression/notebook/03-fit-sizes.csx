// Fit (lr 0.5, 100 steps) on the first 40 points and on all 400. Both fits should end well
// below ln 2 = 0.693, with similar weights.
foreach (var n in new[] { 40, 400 })
{
    var (fw, fb) = LogisticRegression.Fit(X.narrow(0, 0, n), labels.narrow(0, 0, n), 0.5, 100);
    Console.WriteLine($"N = {n}: loss {LogisticRegression.Loss(X.narrow(0, 0, n), labels.narrow(0, 0, n), fw, fb).item<double>():F4}, " +
                      $"w = [{string.Join(", ", fw.data<double>().ToArray())}], b = {fb.item<double>():F4}");
}
