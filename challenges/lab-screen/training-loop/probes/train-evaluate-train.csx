// Train, Evaluate, Train again (float64 MLP 4 -> 6 -> 3 with dropout p = 0.3, SGD, 12 examples,
// 3 steps per call): the parameters after the second Train call against the reference.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

nn.Module<Tensor, Tensor> Mlp()
{
    var m = nn.Sequential(("fc1", nn.Linear(4, 6)), ("act", nn.Tanh()), ("drop", nn.Dropout(0.3)), ("fc2", nn.Linear(6, 3)));
    m.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) * 0.7);
    }
    return m;
}

Tensor Flat(nn.Module<Tensor, Tensor> m) =>
    torch.cat(m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.Item2.detach().flatten()).ToArray(), 0);

using (var scope = torch.NewDisposeScope())
using (var model = Mlp())
{
    var x = torch.randn(new long[] { 12, 4 }, dtype: torch.float64);
    var y = torch.randint(0, 3, new long[] { 12 }, dtype: torch.int64);
    var config = new TrainConfig
    {
        Epochs = 1, BatchSize = 4, AccumulationSteps = 1, LearningRate = 0.3, WarmupSteps = 0,
        MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.Sgd,
    };
    Trainer.Train(model, x, y, config);
    Trainer.Evaluate(model, x, y);
    var losses = Trainer.Train(model, x, y, config);
    Observe("losses_second_train", torch.tensor(losses.ToArray(), dtype: torch.float64));
    Observe("parameters_after_second_train", Flat(model));
}
