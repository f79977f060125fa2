// Softmax regression with plain SGD (lr 0.5) on the pipeline's batches, 12 epochs. The classes
// are well separated once standardised, so the training loss should fall from ln 3 = 1.10 towards
// 0, and the accuracy on today's readings should be about as high as on the training set.
var weights = zeros(new long[] { 2, 3 }, dtype: float64).requires_grad_(true);
var bias = zeros(new long[] { 3 }, dtype: float64).requires_grad_(true);
var generator = new Generator(2);
int step = 0;
for (int e = 0; e < 12; e++)
{
    foreach (var (x, y) in Pipeline.Batches(train, trainLabels, 32, generator))
    {
        var loss = nn.functional.cross_entropy(x.matmul(weights) + bias, y);
        Plot("training loss", step++, loss.item<double>());
        weights.grad?.zero_();
        bias.grad?.zero_();
        loss.backward();
        using (no_grad())
        {
            weights.sub_(0.5 * weights.grad!);
            bias.sub_(0.5 * bias.grad!);
        }
    }
}
double Accuracy(Tensor x, Tensor y)
{
    using var _ = no_grad();
    return (x.matmul(weights) + bias).argmax(1).eq(y).to_type(float64).mean().item<double>();
}
Console.WriteLine($"{step} steps; training accuracy {Accuracy(train, trainLabels):F2}, accuracy on today's readings {Accuracy(test, testLabels):F2}");
