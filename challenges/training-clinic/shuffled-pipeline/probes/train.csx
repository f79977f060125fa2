// End to end: a softmax-regression classifier (float64, plain SGD, lr 0.5, batch 32, 12 epochs of
// 150 examples: 60 steps) trained on Pipeline.Batches of the standardised training set, then
// scored on a test set of 20 readings, 18 of them from class 2, 2 from class 0. Three classes of 2-feature sensor
// readings (feature scales about 1e3 and 1e-1), well separated once standardised.
// Observed: the test accuracy, and the mean training loss of the last epoch.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var centres = torch.tensor(new double[] { -2, 0, 2, 0, 0, 3 }, dtype: torch.float64).reshape(3, 2);
    var scale = torch.tensor(new double[] { 1000, 0.1 }, dtype: torch.float64).unsqueeze(0);
    var offset = torch.tensor(new double[] { 5000, 2 }, dtype: torch.float64).unsqueeze(0);
    Tensor Readings(Tensor classes) =>
        (centres.index_select(0, classes) + 0.5 * torch.randn(new long[] { classes.shape[0], 2 }, dtype: torch.float64)) * scale + offset;

    var trainLabels = torch.arange(150, dtype: torch.int64) % 3;
    var trainRaw = Readings(trainLabels);
    var testLabels = torch.tensor(new long[] { 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2 }, dtype: torch.int64);
    var testRaw = Readings(testLabels);
    var (train, test) = Pipeline.Standardise(trainRaw, testRaw);

    var weights = torch.zeros(new long[] { 2, 3 }, dtype: torch.float64).requires_grad_(true);
    var bias = torch.zeros(new long[] { 3 }, dtype: torch.float64).requires_grad_(true);
    var generator = new torch.Generator((ulong)Seed + 3);
    double lastEpochLoss = 0;
    for (int epoch = 0; epoch < 12; epoch++)
    {
        double total = 0;
        int count = 0;
        foreach (var (x, y) in Pipeline.Batches(train, trainLabels, 32, generator))
        {
            var loss = nn.functional.cross_entropy(x.matmul(weights) + bias, y);
            total += loss.item<double>();
            count++;
            weights.grad?.zero_();
            bias.grad?.zero_();
            loss.backward();
            using (torch.no_grad())
            {
                weights.sub_(0.5 * weights.grad!);
                bias.sub_(0.5 * bias.grad!);
            }
        }
        lastEpochLoss = total / Math.Max(1, count);
    }
    using (torch.no_grad())
    {
        var predicted = (test.matmul(weights) + bias).argmax(1);
        Observe("test_accuracy", predicted.eq(testLabels).to_type(torch.float64).mean().item<double>());
    }
    Observe("last_epoch_loss", lastEpochLoss);
}
