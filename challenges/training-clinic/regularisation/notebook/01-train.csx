// A linear regression with 12 features of which only the first 3 matter, 30 examples, trained by
// plain SGD (lr 0.02, 300 steps) on the mean squared error plus the penalties (l1 0.05, l2 0.2).
// The penalised loss can never be below the data loss; both should fall and level off, with the
// weights a little smaller than the true ones (2, -3, 1.5 and nine zeros).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var inputs = randn(new long[] { 30, 12 }, dtype: float64);
var trueWeights = tensor(new double[] { 2, -3, 1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, dtype: float64);
var targets = inputs.matmul(trueWeights) + 0.3 * randn(new long[] { 30 }, dtype: float64);

Tensor Fit(nn.Module<Tensor, Tensor> model, string label)
{
    var optimizer = optim.SGD(model.parameters(), 0.02);
    for (int step = 0; step < 300; step++)
    {
        optimizer.zero_grad();
        var data = nn.functional.mse_loss(model.forward(inputs).squeeze(1), targets);
        var loss = Regularisation.PenalisedLoss(data, model, 0.05, 0.2);
        loss.backward();
        optimizer.step();
        Plot($"{label}: data loss", step, data.item<double>());
        Plot($"{label}: penalised loss", step, loss.item<double>());
    }
    return model.named_parameters().First(np => np.name == "fc.weight").parameter.detach();
}

var model = nn.Sequential(("fc", nn.Linear(12, 1)));
model.to(float64);
var weights = Fit(model, "random init");
Show(weights, "fc.weight after training");
Console.WriteLine($"sum of squared weights {(weights * weights).sum().item<double>():F3} (true weights: {(trueWeights * trueWeights).sum().item<double>():F3})");
