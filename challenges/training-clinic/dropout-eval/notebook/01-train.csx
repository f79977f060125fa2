// Train the classifier (5 features, 3 classes, hidden 32, dropout p = 0.3) with plain SGD on 120
// noisy examples, and evaluate on held-out data every 10 steps. The training loss should fall
// smoothly and the validation accuracy should climb and then stay put.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var centres = randn(new long[] { 3, 5 }) * 1.5;
Tensor Data(Tensor labels) => centres.index_select(0, labels) + randn(new long[] { labels.shape[0], 5 });
var trainLabels = arange(120, dtype: int64) % 3;
var trainInputs = Data(trainLabels);
var validLabels = arange(60, dtype: int64) % 3;
var validInputs = Data(validLabels);

var model = new DropoutMlp(5, 32, 3, 0.3);
var optimizer = optim.SGD(model.parameters(), 0.05);
model.train();
for (int step = 0; step < 200; step++)
{
    optimizer.zero_grad();
    var loss = nn.functional.cross_entropy(model.forward(trainInputs), trainLabels);
    loss.backward();
    optimizer.step();
    Plot("training loss", step, loss.item<float>());
    if (step % 10 == 9)
        Plot("validation accuracy", step, Evaluation.Accuracy(model, validInputs, validLabels));
}
Console.WriteLine($"model.training after the run: {model.training}");
