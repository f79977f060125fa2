// The accumulator on one block of scores, then on the same scores minus 1000. Softmax does not
// change when every score of a query moves by the same amount: both rows should be equal.
var accumulator = new OnlineSoftmax(1, 1, 2, float64);
var accumulatorShifted = new OnlineSoftmax(1, 1, 2, float64);
var blockScores = tensor(new double[] { 0.5, -1.0, 2.0 }, new long[] { 1, 1, 3 }, dtype: float64);
var blockValues = tensor(new double[] { 1, 0, 0, 1, 1, 1 }, new long[] { 1, 3, 2 }, dtype: float64);
accumulator.Update(blockScores, blockValues);
accumulatorShifted.Update(blockScores - 1000.0, blockValues);
Show(accumulator.Result(), "scores");
Show(accumulatorShifted.Result(), "scores - 1000");
