using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Training hyper-parameters. BlockSize is the width of a training batch (sequences of up to
/// BlockSize + 1 tokens); it must not exceed the model's GptConfig.BlockSize.</summary>
public sealed record TrainConfig(
    int Steps = 300,
    int BatchSize = 32,
    int BlockSize = 12,
    double LearningRate = 1e-2,
    double MinLearningRate = 1e-3,
    int WarmupSteps = 30,
    double GradClip = 1.0,
    double WeightDecay = 0.0);

public static class Trainer
{
    /// <summary>Mean cross-entropy over the positions whose target is not <see cref="Batches.Pad"/>.
    /// logits (B, T, V), targets (B, T) int64 -> scalar.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets)
    {
        long V = logits.shape[^1];
        return nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1));
    }

    /// <summary>Learning rate at a 0-based step: linear warm-up to LearningRate over the first WarmupSteps
    /// steps (LearningRate * (step + 1) / WarmupSteps), then cosine decay from LearningRate down to
    /// MinLearningRate, reached at the last step (Steps - 1).</summary>
    public static double LearningRate(int step, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (step < config.WarmupSteps)
            return config.LearningRate * (step + 1) / config.WarmupSteps;
        double progress = (double)(step - config.WarmupSteps) / Math.Max(1, config.Steps - 1 - config.WarmupSteps);
        progress = Math.Min(progress, 1.0);
        return config.MinLearningRate + 0.5 * (config.LearningRate - config.MinLearningRate) * (1 - Math.Cos(Math.PI * progress));
    }

    /// <summary>One optimisation step on one batch at the given learning rate; returns the batch loss.
    /// Gradients are clipped to a global norm of at most <paramref name="gradClip"/>.</summary>
    public static double TrainStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor inputs, Tensor targets, double learningRate, double gradClip)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;

        var loss = Loss(model.forward(inputs), targets);
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), gradClip);
        optimizer.step();
        return loss.ToDouble();
    }

    /// <summary>Trains the model on random minibatches of the corpus; returns the loss of every step.</summary>
    public static double[] Train(TinyGpt model, IReadOnlyList<long[]> corpus, TrainConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        var rng = new Random(seed);
        using var optimizer = torch.optim.AdamW(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
        var losses = new double[config.Steps];
        model.train();
        for (int step = 0; step < config.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var (inputs, targets) = Batches.Sample(corpus, config.BatchSize, config.BlockSize, rng);
            losses[step] = TrainStep(model, optimizer, inputs, targets, LearningRate(step, config), config.GradClip);
        }
        model.eval();
        return losses;
    }
}
