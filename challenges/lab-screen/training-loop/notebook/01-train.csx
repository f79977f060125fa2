// Train a small MLP on 48 examples of 3 well separated classes with plain SGD, 2 micro-batches
// accumulated per step and gradient clipping. The loss of each step should fall steadily.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var labels = arange(48, dtype: int64) % 3;
var centres = tensor(new double[] { 3, 0, 0, 3, -3, -3 }, new long[] { 3, 2 }, dtype: float32);
var inputs = randn(new long[] { 48, 2 }) * 0.5 + centres.index_select(0, labels);
var model = nn.Sequential(("fc1", nn.Linear(2, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 3)));
var config = new TrainConfig { Epochs = 20, BatchSize = 8, AccumulationSteps = 2, LearningRate = 0.1, Optimizer = OptimizerKind.Sgd, MaxGradNorm = 5.0, WarmupSteps = 10 };
var losses = Trainer.Train(model, inputs, labels, config);
for (int step = 0; step < losses.Count; step++)
    Plot("training loss", step, losses[step]);
Console.WriteLine($"first loss {losses[0]:F3}, last loss {losses[^1]:F3} after {losses.Count} steps");
