// Mean squared error of four predictions shaped as a model's output, (4, 1), against targets of
// shape (4). One prediction is off by 1, so the error should be 1/4 = 0.25.
var predictions = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 4, 1 }, dtype: float64);
var targets = tensor(new double[] { 1, 2, 3, 5 }, dtype: float64);
Show(Numerics.MeanSquaredError(predictions, targets), "MeanSquaredError(predictions, targets)");
