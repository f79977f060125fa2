using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Training hyper-parameters of <see cref="Trainer.Train"/>.</summary>
public sealed record TrainConfig(
    int Epochs = 12,
    int BatchSize = 4,
    int Window = 16,
    double LearningRate = 1e-2,
    double GradClip = 1.0);

public static class Trainer
{
    /// <summary>Mean cross-entropy (natural log) over every position. logits (B, T, V), targets (B, T) int64 -> scalar.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets)
    {
        long V = logits.shape[^1];
        return nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1));
    }

    /// <summary>
    /// One pass of truncated back-propagation through time over consecutive windows. For window w: set the
    /// learning rate to learningRate(w), clear the gradients, run the model from the state the previous
    /// window ended in (the zero state for the first window), back-propagate this window's loss (and no
    /// further back than the window's start), clip the global L2 norm of all gradients to gradClip,
    /// update. Returns the loss of each window.
    /// </summary>
    public static double[] TrainWindows(RecurrentLm model, optim.Optimizer optimizer, IReadOnlyList<(Tensor Inputs, Tensor Targets)> windows, Func<int, double> learningRate, double gradClip)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(windows);
        var losses = new double[windows.Count];
        LstmState? state = null;
        for (int w = 0; w < windows.Count; w++)
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate(w);
            optimizer.zero_grad();
            var (logits, next) = model.Forward(windows[w].Inputs, state);
            var loss = Loss(logits, windows[w].Targets);
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), gradClip);
            optimizer.step();
            losses[w] = loss.ToDouble();
            state = next.Detach();
        }
        return losses;
    }

    /// <summary>Perplexity over consecutive windows, the state carried from each window to the next:
    /// exp of the mean cross-entropy (natural log) over all target tokens.</summary>
    public static double Perplexity(RecurrentLm model, IReadOnlyList<(Tensor Inputs, Tensor Targets)> windows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(windows);
        double total = 0;
        long count = 0;
        LstmState? state = null;
        using (torch.no_grad())
        {
            foreach (var (inputs, targets) in windows)
            {
                Tensor logits;
                (logits, state) = model.Forward(inputs, state);
                total += Loss(logits, targets).ToDouble() * targets.numel();
                count += targets.numel();
            }
        }
        return Math.Exp(total / count);
    }

    /// <summary>Trains with Adam at a constant learning rate: every epoch is one <see cref="TrainWindows"/>
    /// pass over <see cref="Batcher.Windows"/> of the stream, from the zero state. Returns every window's loss.</summary>
    public static double[] Train(RecurrentLm model, long[] stream, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        var windows = Batcher.Windows(stream, config.BatchSize, config.Window);
        using var optimizer = torch.optim.Adam(model.parameters(), config.LearningRate);
        var losses = new List<double>();
        for (int epoch = 0; epoch < config.Epochs; epoch++)
            losses.AddRange(TrainWindows(model, optimizer, windows, _ => config.LearningRate, config.GradClip));
        return losses.ToArray();
    }
}
