// Training.Train, float64, differential: a model Linear(5, 7) "fc1", LayerNorm(7) "ln1", ReLU,
// Linear(7, 3) "fc2" with weights injected from the seeded generator, 24 examples in batches of 8
// (3 steps per epoch), 4 epochs = 12 steps, schedule (PeakLr 0.05, FloorLr 0.005, W 3, T 10),
// weight decay 0.3. Observed: the logged losses and learning rates (against the reference; the
// rates also against the statement's formula at steps 0 .. 11) and the parameters after the run;
// the model is handed over in eval mode, and must be in training mode afterwards.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

double Formula(double peak, double floor, int w, int t, int s)
{
    if (s < w) return peak * (s + 1) / w;
    double progress = Math.Min(1.0, (s - w) / (double)(t - w));
    return floor + (peak - floor) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
}

using (var scope = torch.NewDisposeScope())
{
    var model = nn.Sequential(("fc1", nn.Linear(5, 7)), ("ln1", nn.LayerNorm(7)), ("act", nn.ReLU()), ("fc2", nn.Linear(7, 3)));
    model.to(torch.float64);
    var named = model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList();
    using (torch.no_grad())
        foreach (var (name, p) in named)
            p.copy_(torch.randn(p.shape, dtype: torch.float64) * 0.5 + (name == "ln1.weight" ? 1.0 : 0.0));
    var inputs = torch.randn(new long[] { 24, 5 }, dtype: torch.float64);
    var targets = torch.randint(0, 3, new long[] { 24 }, dtype: torch.int64);
    var config = new TrainConfig
    {
        Epochs = 4, BatchSize = 8, WeightDecay = 0.3,
        Schedule = new ScheduleConfig { PeakLr = 0.05, FloorLr = 0.005, WarmupSteps = 3, TotalSteps = 10 },
    };
    model.eval();   // Train must put the model in training mode itself
    var log = Training.Train(model, inputs, targets, config);
    Observe("training_mode_after_train", model.training);
    Observe("losses", torch.tensor(log.Losses.ToArray(), dtype: torch.float64));
    Observe("learning_rates", torch.tensor(log.LearningRates.ToArray(), dtype: torch.float64));
    Observe("learning_rates_formula", torch.tensor(Enumerable.Range(0, 12).Select(s => Formula(0.05, 0.005, 3, 10, s)).ToArray(), dtype: torch.float64));
    Observe("parameters", torch.cat(named.Select(np => np.parameter.detach().reshape(-1)).ToArray(), 0));
}
