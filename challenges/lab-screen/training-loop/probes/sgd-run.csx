// A short plain-SGD run against the reference: float64 MLP 4 -> 5 -> 3 with injected weights,
// 12 examples in micro-batches of 4, 2 epochs (6 steps), learning rate 0.5, no accumulation, no
// clipping, no warmup.
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
        // Injected by name (sorted), so nothing depends on how the model was initialised.
        foreach (var (name, p) in m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) * 0.5);
    }
    return m;
}

Tensor Flat(nn.Module<Tensor, Tensor> m) =>
    torch.cat(m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.Item2.detach().flatten()).ToArray(), 0);

using (var scope = torch.NewDisposeScope())
using (var model = Mlp())
{
    var x = torch.randn(new long[] { 12, 4 }, dtype: torch.float64);
    var y = x.narrow(1, 0, 3).argmax(1); // a rule the model can learn, so the losses go down
    var config = new TrainConfig
    {
        Epochs = 2, BatchSize = 4, AccumulationSteps = 1, LearningRate = 0.5, WarmupSteps = 0,
        MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.Sgd,
    };
    var losses = Trainer.Train(model, x, y, config);
    Observe("losses", torch.tensor(losses.ToArray(), dtype: torch.float64));
    Observe("parameters", Flat(model));
}
