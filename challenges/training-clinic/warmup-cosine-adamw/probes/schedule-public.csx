// Schedule.LearningRateAt for PeakLr 0.01, FloorLr 0.001, WarmupSteps 4, TotalSteps 20, at
// steps 0 .. 24.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var config = new ScheduleConfig { PeakLr = 0.01, FloorLr = 0.001, WarmupSteps = 4, TotalSteps = 20 };
Observe("learning_rates", torch.tensor(Enumerable.Range(0, 25).Select(s => Schedule.LearningRateAt(config, s)).ToArray(), dtype: torch.float64));
