using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

public enum OptimizerKind
{
    Sgd,
    AdamW,
}

/// <summary>Hyper-parameters of one training run.</summary>
public sealed class TrainConfig
{
    public int Epochs { get; init; } = 1;

    /// <summary>Examples per micro-batch (one forward/backward pass).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Micro-batches whose gradients are accumulated into one optimizer step.</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate, reached at the end of the warmup.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Optimizer steps of linear warmup before the cosine decay.</summary>
    public int WarmupSteps { get; init; } = 0;

    /// <summary>Largest global L2 norm of the gradients at a step; infinity turns clipping off.</summary>
    public double MaxGradNorm { get; init; } = double.PositiveInfinity;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
}

/// <summary>
/// Training loop of the intent classifier: mini-batch training with gradient accumulation,
/// gradient clipping and a warmup + cosine learning-rate schedule.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> (logits out, shape (N, C)) on <paramref name="inputs"/> (N, F)
    /// and class indices <paramref name="targets"/> (N,), taking the examples in order. Returns one
    /// loss per optimizer step: the mean cross-entropy over that step's examples, before the update.
    /// </summary>
    public static List<double> Train(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, TrainConfig config)
    {
        long examplesPerStep = (long)config.BatchSize * config.AccumulationSteps;
        if (config.Epochs < 1 || config.BatchSize < 1 || config.AccumulationSteps < 1 || config.WarmupSteps < 0)
            throw new ArgumentException("Epochs, BatchSize and AccumulationSteps must be positive and WarmupSteps not negative.");
        if (inputs.shape[0] != targets.shape[0] || inputs.shape[0] % examplesPerStep != 0)
            throw new ArgumentException($"Need as many targets as inputs, and a multiple of BatchSize * AccumulationSteps = {examplesPerStep} examples.");

        int microBatches = (int)(inputs.shape[0] / config.BatchSize);
        int totalSteps = config.Epochs * microBatches / config.AccumulationSteps;

        model.train();
        using var optimizer = config.Optimizer == OptimizerKind.Sgd
            ? (optim.Optimizer)optim.SGD(model.parameters(), config.LearningRate)
            : optim.AdamW(model.parameters(), config.LearningRate);

        var losses = new List<double>(totalSteps);
        int step = 0;
        double stepLoss = 0;
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            for (int b = 0; b < microBatches; b++)
            {
                using var scope = torch.NewDisposeScope();
                var x = inputs.narrow(0, (long)b * config.BatchSize, config.BatchSize);
                var y = targets.narrow(0, (long)b * config.BatchSize, config.BatchSize);

                var logits = model.forward(x);
                var loss = nn.functional.cross_entropy(logits, y);
                // Each micro-batch carries 1/AccumulationSteps of the step's loss, so the accumulated
                // gradient is the gradient of the mean loss over all of the step's examples.
                (loss / config.AccumulationSteps).backward();
                stepLoss += loss.ToDouble() / config.AccumulationSteps;

                if ((b + 1) % config.AccumulationSteps != 0)
                    continue;

                if (double.IsFinite(config.MaxGradNorm))
                    nn.utils.clip_grad_norm_(model.parameters(), config.MaxGradNorm);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = LearningRateAt(config, step, totalSteps);
                optimizer.step();
                optimizer.zero_grad();

                losses.Add(stepLoss);
                stepLoss = 0;
                step++;
            }
        }
        return losses;
    }

    /// <summary>
    /// Learning rate of optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>:
    /// linear warmup to LearningRate over WarmupSteps steps, then cosine decay towards 0.
    /// </summary>
    public static double LearningRateAt(TrainConfig config, int step, int totalSteps)
    {
        if (step < config.WarmupSteps)
            return config.LearningRate * ((step + 1) / (double)config.WarmupSteps);
        double progress = (double)(step - config.WarmupSteps) / Math.Max(1, totalSteps - config.WarmupSteps);
        return config.LearningRate * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }

    /// <summary>
    /// Accuracy of <paramref name="model"/> on (inputs, targets), in [0, 1]. Runs in eval mode without
    /// gradients and leaves the model's mode and the gradient mode as it found them.
    /// </summary>
    public static double Evaluate(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            torch.no_grad();
            var predicted = model.forward(inputs).argmax(1);
            return predicted.eq(targets).to(torch.float64).mean().item<double>();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
