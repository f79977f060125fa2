using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>What a learning-rate range test measured, and the rate it suggests.</summary>
public sealed record LrFinderResult(double[] LearningRates, double[] Losses, double[] Smoothed, double Suggested);

/// <summary>The learning-rate range test: train with an exponentially growing rate, smooth the loss curve,
/// and suggest the rate at which the smoothed loss falls fastest.</summary>
public static class LrFinder
{
    /// <summary>steps >= 2 rates growing geometrically from startLr to endLr: lr_i = startLr * (endLr / startLr)^(i / (steps - 1)).</summary>
    public static double[] Schedule(double startLr, double endLr, int steps)
    {
        if (steps < 2 || startLr <= 0 || endLr <= startLr)
            throw new ArgumentException("need steps >= 2 and 0 < startLr < endLr");
        return Enumerable.Range(0, steps).Select(i => startLr * Math.Pow(endLr / startLr, (double)i / (steps - 1))).ToArray();
    }

    /// <summary>Bias-corrected exponential moving average: a_i = beta * a_{i-1} + (1 - beta) * loss_i with
    /// a_{-1} = 0, and smoothed_i = a_i / (1 - beta^(i+1)).</summary>
    public static double[] Smooth(IReadOnlyList<double> losses, double beta)
    {
        ArgumentNullException.ThrowIfNull(losses);
        var smoothed = new double[losses.Count];
        double average = 0;
        for (int i = 0; i < losses.Count; i++)
        {
            average = beta * average + (1 - beta) * losses[i];
            smoothed[i] = average / (1 - Math.Pow(beta, i + 1));
        }
        return smoothed;
    }

    /// <summary>
    /// The suggested rate for a smoothed curve. The curve is cut at the first step whose smoothed loss is
    /// more than 4 times the lowest smoothed loss before it (the run diverged); the steps before the cut
    /// are kept. Over consecutive kept steps i, i+1 the slope is
    /// (smoothed[i+1] - smoothed[i]) / (ln lr[i+1] - ln lr[i]); the suggestion is lr[i] of the most negative
    /// slope (the first of equal ones). With fewer than 2 kept steps it is lr[0].
    /// </summary>
    public static double Suggest(IReadOnlyList<double> learningRates, IReadOnlyList<double> smoothed)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        ArgumentNullException.ThrowIfNull(smoothed);
        int kept = 1;
        double lowest = smoothed[0];
        while (kept < smoothed.Count && smoothed[kept] <= 4 * lowest)
        {
            lowest = Math.Min(lowest, smoothed[kept]);
            kept++;
        }
        int best = 0;
        double steepest = double.PositiveInfinity;
        for (int i = 0; i + 1 < kept; i++)
        {
            double slope = (smoothed[i + 1] - smoothed[i]) / (Math.Log(learningRates[i + 1]) - Math.Log(learningRates[i]));
            if (slope < steepest)
            {
                steepest = slope;
                best = i;
            }
        }
        return learningRates[best];
    }

    /// <summary>Runs the range test: one <see cref="Trainer.TrainWindows"/> pass over the windows, window i at
    /// Schedule(startLr, endLr, windows.Count)[i], then smooths the losses and suggests a rate.</summary>
    public static LrFinderResult Run(RecurrentLm model, optim.Optimizer optimizer, IReadOnlyList<(Tensor Inputs, Tensor Targets)> windows, double startLr, double endLr, double beta = 0.9, double gradClip = 1.0)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var rates = Schedule(startLr, endLr, windows.Count);
        var losses = Trainer.TrainWindows(model, optimizer, windows, i => rates[i], gradClip);
        var smoothed = Smooth(losses, beta);
        return new LrFinderResult(rates, losses, smoothed, Suggest(rates, smoothed));
    }
}
