// Learning-rate schedule: LearningRateAt for every step of a 12-step run with 4 warmup steps and
// of a 6-step run without warmup; then a 6-step SGD run with 3 warmup steps against the reference.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

nn.Module<Tensor, Tensor> Mlp()
{
    var m = nn.Sequential(("fc1", nn.Linear(4, 5)), ("act", nn.Tanh()), ("fc2", nn.Linear(5, 3)));
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

var warm = new TrainConfig { Epochs = 1, BatchSize = 2, AccumulationSteps = 1, LearningRate = 0.3, WarmupSteps = 4, MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.AdamW };
Observe("learning_rates", torch.tensor(Enumerable.Range(0, 12).Select(s => Trainer.LearningRateAt(warm, s, 12)).ToArray(), dtype: torch.float64));
var cold = new TrainConfig { Epochs = 1, BatchSize = 2, AccumulationSteps = 1, LearningRate = 0.3, WarmupSteps = 0, MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.AdamW };
Observe("learning_rates_no_warmup", torch.tensor(Enumerable.Range(0, 6).Select(s => Trainer.LearningRateAt(cold, s, 6)).ToArray(), dtype: torch.float64));

using (var scope = torch.NewDisposeScope())
using (var model = Mlp())
{
    var x = torch.randn(new long[] { 12, 4 }, dtype: torch.float64);
    var y = torch.randint(0, 3, new long[] { 12 }, dtype: torch.int64);
    var config = new TrainConfig
    {
        Epochs = 1, BatchSize = 2, AccumulationSteps = 1, LearningRate = 0.5, WarmupSteps = 3,
        MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.Sgd,
    };
    Trainer.Train(model, x, y, config);
    Observe("parameters_warmup", Flat(model));
}
