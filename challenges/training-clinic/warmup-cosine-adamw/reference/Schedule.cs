using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>The learning-rate schedule: linear warmup, then cosine decay to a floor.</summary>
public sealed class ScheduleConfig
{
    public required double PeakLr { get; init; }
    public required double FloorLr { get; init; }
    public required int WarmupSteps { get; init; }
    public required int TotalSteps { get; init; }
}

/// <summary>Hyper-parameters of one training run.</summary>
public sealed class TrainConfig
{
    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    public required double WeightDecay { get; init; }
    public required ScheduleConfig Schedule { get; init; }
}

/// <summary>What a run did, one entry per optimizer step.</summary>
public sealed class TrainLog
{
    public List<double> Losses { get; } = new();
    public List<double> LearningRates { get; } = new();
}

public static class Schedule
{
    /// <summary>
    /// The learning rate of optimizer step <paramref name="step"/> (0-based). Steps 0 .. W-1 warm up
    /// linearly: PeakLr * (step + 1) / W. From step W the rate follows a half cosine from PeakLr (at
    /// step W) to FloorLr (at step TotalSteps), and stays at FloorLr after it.
    /// </summary>
    public static double LearningRateAt(ScheduleConfig config, int step)
    {
        if (step < config.WarmupSteps)
            return config.PeakLr * (step + 1) / config.WarmupSteps;
        double progress = Math.Min(1.0, (double)(step - config.WarmupSteps) / (config.TotalSteps - config.WarmupSteps));
        return config.FloorLr + (config.PeakLr - config.FloorLr) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}

public static class Training
{
    /// <summary>
    /// AdamW over the model's parameters in two groups: weight decay for the weight matrices
    /// (parameters of two or more dimensions), none for biases and normalisation weights (one
    /// dimension).
    /// </summary>
    public static AdamW MakeAdamW(nn.Module model, double learningRate, double weightDecay)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.dim() >= 2)
                decay.Add(parameter);
            else
                noDecay.Add(parameter);
        }
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay, new AdamW.Options { LearningRate = learningRate, weight_decay = weightDecay }),
            new(noDecay, new AdamW.Options { LearningRate = learningRate, weight_decay = 0.0 }),
        };
        return optim.AdamW(groups, learningRate);
    }

    /// <summary>
    /// Trains a classifier (logits (N, C) out) on (inputs (N, F), class indices (N,)) in order, in
    /// batches of BatchSize (which divides N), with MakeAdamW and the schedule set before every
    /// optimizer step. Logs each step's loss (before the update) and learning rate.
    /// </summary>
    public static TrainLog Train(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, TrainConfig config)
    {
        if (config.BatchSize < 1 || inputs.shape[0] % config.BatchSize != 0)
            throw new ArgumentException("BatchSize must be positive and divide the number of examples.");

        long batches = inputs.shape[0] / config.BatchSize;
        using var optimizer = MakeAdamW(model, config.Schedule.PeakLr, config.WeightDecay);
        model.train();
        var log = new TrainLog();
        int step = 0;
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            for (long b = 0; b < batches; b++)
            {
                using var scope = torch.NewDisposeScope();
                var x = inputs.narrow(0, b * config.BatchSize, config.BatchSize);
                var y = targets.narrow(0, b * config.BatchSize, config.BatchSize);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x), y);
                loss.backward();

                double learningRate = Schedule.LearningRateAt(config.Schedule, step);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = learningRate;
                optimizer.step();

                log.Losses.Add(loss.ToDouble());
                log.LearningRates.Add(learningRate);
                step++;
            }
        }
        return log;
    }
}
