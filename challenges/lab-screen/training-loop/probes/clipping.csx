// Gradient clipping (global L2 norm), float64 MLP 4 -> 5 -> 3, plain SGD:
//  - one step with MaxGradNorm 0.01 and learning rate 0.5: the update's norm, divided by
//    0.5 * 0.01, must not exceed 1 (first_update_over_bound);
//  - 6 steps with MaxGradNorm 0.05, against the reference;
//  - 4 steps of 2 accumulated micro-batches with MaxGradNorm 0.05, against the reference.
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

TrainConfig Config(int epochs, int batch, int accumulation, double maxNorm, double lr) => new TrainConfig
{
    Epochs = epochs, BatchSize = batch, AccumulationSteps = accumulation, LearningRate = lr, WarmupSteps = 0,
    MaxGradNorm = maxNorm, Optimizer = OptimizerKind.Sgd,
};

using (var scope = torch.NewDisposeScope())
{
    var init = Init();
    var x = torch.randn(new long[] { 12, 4 }, dtype: torch.float64);
    var y = torch.randint(0, 3, new long[] { 12 }, dtype: torch.int64);

    using (var model = Mlp(init))
    {
        // A single step: its learning rate is exactly LearningRate (cosine at progress 0).
        var before = Flat(model);
        Trainer.Train(model, x.narrow(0, 0, 4), y.narrow(0, 0, 4), Config(1, 4, 1, 0.01, 0.5));
        var updateNorm = (Flat(model) - before).norm().item<double>();
        Observe("first_update_over_bound", updateNorm / (0.5 * 0.01));
    }
    using (var model = Mlp(init))
    {
        Trainer.Train(model, x, y, Config(2, 4, 1, 0.05, 0.5));
        Observe("parameters_clipped", Flat(model));
    }
    using (var model = Mlp(init))
    {
        Trainer.Train(model, x.narrow(0, 0, 8), y.narrow(0, 0, 8), Config(4, 4, 2, 0.05, 0.5));
        Observe("parameters_clipped_accumulated", Flat(model));
    }
}
