// Behaviour: a float64 MLP 4 -> 16 -> 3 with small weights overfits one batch of 6 examples
// (two per class) with AdamW, 200 full-batch steps, 10 warmup steps. Observes the loss at
// initialisation (about ln 3), the last loss, whether every loss is finite, whether the
// parameters moved, and the training accuracy afterwards.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

nn.Module<Tensor, Tensor> Mlp()
{
    var m = nn.Sequential(("fc1", nn.Linear(4, 16)), ("act", nn.Tanh()), ("fc2", nn.Linear(16, 3)));
    m.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) * 0.05);
    }
    return m;
}

Tensor Flat(nn.Module<Tensor, Tensor> m) =>
    torch.cat(m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.Item2.detach().flatten()).ToArray(), 0);

using (var scope = torch.NewDisposeScope())
using (var model = Mlp())
{
    var x = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    var y = torch.tensor(new long[] { 0, 1, 2, 0, 1, 2 });
    var before = Flat(model);
    var config = new TrainConfig
    {
        Epochs = 200, BatchSize = 6, AccumulationSteps = 1, LearningRate = 0.05, WarmupSteps = 10,
        MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.AdamW,
    };
    var losses = Trainer.Train(model, x, y, config);
    Observe("initial_loss", losses.Count > 0 ? losses[0] : double.NaN);
    Observe("final_loss", losses.Count > 0 ? losses[losses.Count - 1] : double.NaN);
    Observe("losses_finite", losses.Count == 200 && losses.All(double.IsFinite));
    Observe("parameters_changed", (Flat(model) - before).abs().max().item<double>() > 1e-3);
    Observe("final_accuracy", Trainer.Evaluate(model, x, y));
}
