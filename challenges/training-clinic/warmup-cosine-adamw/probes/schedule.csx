// Schedule.LearningRateAt over a sweep of schedules and chosen steps (warmup, its last step, the
// peak, the cosine, TotalSteps and past it), against the reference and against the formula of the
// statement computed here:
//  (PeakLr 3e-3, FloorLr 1e-4, W 5, T 40) at 0, 1, 4, 5, 6, 12, 22, 39, 40, 55;
//  (1.0, 0, W 0, T 10) at 0 .. 12;   (0.5, 0.05, W 3, T 7) at 0 .. 9;   (2e-3, 2e-3, W 2, T 6) at 0 .. 7.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

double Formula(double peak, double floor, int w, int t, int s)
{
    if (s < w) return peak * (s + 1) / w;
    double progress = Math.Min(1.0, (s - w) / (double)(t - w));
    return floor + (peak - floor) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
}

var got = new List<double>();
var expected = new List<double>();
foreach (var (peak, floor, w, t, steps) in new (double, double, int, int, int[])[]
{
    (3e-3, 1e-4, 5, 40, new[] { 0, 1, 4, 5, 6, 12, 22, 39, 40, 55 }),
    (1.0, 0.0, 0, 10, Enumerable.Range(0, 13).ToArray()),
    (0.5, 0.05, 3, 7, Enumerable.Range(0, 10).ToArray()),
    (2e-3, 2e-3, 2, 6, Enumerable.Range(0, 8).ToArray()),
})
{
    var config = new ScheduleConfig { PeakLr = peak, FloorLr = floor, WarmupSteps = w, TotalSteps = t };
    foreach (var s in steps)
    {
        got.Add(Schedule.LearningRateAt(config, s));
        expected.Add(Formula(peak, floor, w, t, s));
    }
}
Observe("learning_rates", torch.tensor(got.ToArray(), dtype: torch.float64));
Observe("learning_rates_formula", torch.tensor(expected.ToArray(), dtype: torch.float64));
