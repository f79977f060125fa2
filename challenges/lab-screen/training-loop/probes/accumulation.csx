// Gradient accumulation. The same float64 MLP 4 -> 5 -> 3 and 16 examples, trained three ways:
//  - SGD, micro-batches of 4, 2 micro-batches per step, 2 epochs (4 steps): against the reference;
//  - SGD, batches of 8 without accumulation: must give the same parameters and losses;
//  - AdamW, micro-batches of 4, 2 micro-batches per step: against the reference.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

Tensor[] Init()
{
    using var shape = Shape();
    return shape.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal)
        .Select(np => torch.randn(np.Item2.shape, dtype: torch.float64) * 0.7).ToArray();
}

nn.Module<Tensor, Tensor> Shape() =>
    nn.Sequential(("fc1", nn.Linear(4, 5)), ("act", nn.Tanh()), ("fc2", nn.Linear(5, 3)));

nn.Module<Tensor, Tensor> Mlp(Tensor[] init)
{
    var m = Shape();
    m.to(torch.float64);
    using (torch.no_grad())
    {
        var ps = m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.Item2).ToList();
        for (int i = 0; i < ps.Count; i++)
            ps[i].copy_(init[i]);
    }
    return m;
}

Tensor Flat(nn.Module<Tensor, Tensor> m) =>
    torch.cat(m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.Item2.detach().flatten()).ToArray(), 0);

TrainConfig Config(int batch, int accumulation, OptimizerKind optimizer, double lr) => new TrainConfig
{
    Epochs = 2, BatchSize = batch, AccumulationSteps = accumulation, LearningRate = lr, WarmupSteps = 0,
    MaxGradNorm = double.PositiveInfinity, Optimizer = optimizer,
};

using (var scope = torch.NewDisposeScope())
{
    var init = Init();
    var x = torch.randn(new long[] { 16, 4 }, dtype: torch.float64);
    var y = torch.randint(0, 3, new long[] { 16 }, dtype: torch.int64);

    using (var model = Mlp(init))
    {
        var losses = Trainer.Train(model, x, y, Config(4, 2, OptimizerKind.Sgd, 0.5));
        Observe("losses_accumulated", torch.tensor(losses.ToArray(), dtype: torch.float64));
        Observe("parameters_accumulated", Flat(model));
    }
    using (var model = Mlp(init))
    {
        var losses = Trainer.Train(model, x, y, Config(8, 1, OptimizerKind.Sgd, 0.5));
        Observe("losses_big_batch", torch.tensor(losses.ToArray(), dtype: torch.float64));
        Observe("parameters_big_batch", Flat(model));
    }
    using (var model = Mlp(init))
    {
        Trainer.Train(model, x, y, Config(4, 2, OptimizerKind.AdamW, 0.05));
        Observe("parameters_adamw_accumulated", Flat(model));
    }
}
