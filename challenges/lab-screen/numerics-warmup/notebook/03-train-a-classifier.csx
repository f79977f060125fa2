// Fit a linear classifier to three well separated clusters with Numerics.CrossEntropy and plain
// gradient descent. On separable data the loss should fall steadily towards 0.
var labels = arange(60, dtype: int64) % 3;
var centres = tensor(new double[] { 4, 0, -4, 4, -4, -4 }, new long[] { 3, 2 }, dtype: float64);
var inputs = randn(new long[] { 60, 2 }, dtype: float64) + centres.index_select(0, labels);
var weights = zeros(new long[] { 2, 3 }, dtype: float64).requires_grad_(true);
var bias = zeros(new long[] { 3 }, dtype: float64).requires_grad_(true);
for (int step = 0; step < 60; step++)
{
    var loss = Numerics.CrossEntropy(inputs.matmul(weights) + bias, labels);
    Plot("training loss", step, loss.item<double>());
    loss.backward();
    using (no_grad())
    {
        weights.sub_(0.1 * weights.grad!);
        bias.sub_(0.1 * bias.grad!);
        weights.grad!.zero_();
        bias.grad!.zero_();
    }
}
