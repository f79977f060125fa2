// Fit sin(x) on [-3, 3] with Linear(1, 16), ParametricSwish(16), Linear(16, 1) and Adam (lr 0.01),
// 300 full-batch steps. A network this size fits sin closely: the loss should fall below 0.01.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var xs = linspace(-3, 3, 64).unsqueeze(1);
var ys = xs.sin();
var model = nn.Sequential(("fc1", nn.Linear(1, 16)), ("act", new ParametricSwish(16)), ("fc2", nn.Linear(16, 1)));
var optimizer = optim.Adam(model.parameters(), 0.01);
for (int step = 0; step < 300; step++)
{
    optimizer.zero_grad();
    var loss = nn.functional.mse_loss(model.forward(xs), ys);
    loss.backward();
    optimizer.step();
    Plot("training loss", step, loss.item<float>());
}
Console.WriteLine($"final loss {nn.functional.mse_loss(model.forward(xs), ys).item<float>():F4}");
