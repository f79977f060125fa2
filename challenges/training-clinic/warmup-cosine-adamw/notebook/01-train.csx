// Train the small classifier (Linear, LayerNorm, ReLU, Linear) on 64 examples of 3 classes with
// AdamW, batch 16, 50 epochs = 200 steps: warmup over 20 steps to 0.03, then cosine to 0.001 at
// step 200, weight decay 0.1. The learning rate should rise for 20 steps, peak, and glide down to
// the floor; the loss should fall quickly once the warmup is over.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var centres = randn(new long[] { 3, 6 }) * 2.0;
var labels = arange(64, dtype: int64) % 3;
var inputs = centres.index_select(0, labels) + randn(new long[] { 64, 6 });
var model = nn.Sequential(("fc1", nn.Linear(6, 16)), ("norm", nn.LayerNorm(16)), ("act", nn.ReLU()), ("fc2", nn.Linear(16, 3)));
var config = new TrainConfig
{
    Epochs = 50, BatchSize = 16, WeightDecay = 0.1,
    Schedule = new ScheduleConfig { PeakLr = 0.03, FloorLr = 0.001, WarmupSteps = 20, TotalSteps = 200 },
};
var log = Training.Train(model, inputs, labels, config);
for (int step = 0; step < log.Losses.Count; step++)
{
    Plot("training loss", step, log.Losses[step]);
    Plot("learning rate", step, log.LearningRates[step]);
}
Console.WriteLine($"loss at steps 0, 20, 50, 199: {log.Losses[0]:F3}, {log.Losses[20]:F3}, {log.Losses[50]:F3}, {log.Losses[199]:F3}");
Console.WriteLine($"learning rate at steps 19, 20, 100, 199: {log.LearningRates[19]:G4}, {log.LearningRates[20]:G4}, {log.LearningRates[100]:G4}, {log.LearningRates[199]:G4}");
