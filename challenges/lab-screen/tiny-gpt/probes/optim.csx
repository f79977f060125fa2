// The training step and the schedule, each on its own.
//  - Trainer.LearningRate over a 50-step run (warm-up 5, 0.1 down to 0.01);
//  - Trainer.TrainStep on a bigram model (a plain Embedding(16, 16): logits = row of the current
//    token), SGD, no padding in the targets:
//      three steps with clipping out of reach, and one step with a tight clipping norm.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var config = new TrainConfig(Steps: 50, LearningRate: 0.1, MinLearningRate: 0.01, WarmupSteps: 5);
    var schedule = Enumerable.Range(0, config.Steps).Select(s => Trainer.LearningRate(s, config)).ToArray();
    Observe("schedule", torch.tensor(schedule, dtype: torch.float64));

    var inputs = torch.randint(1, 16, new long[] { 4, 6 }, dtype: torch.int64);
    var targets = torch.randint(1, 16, new long[] { 4, 6 }, dtype: torch.int64);
    var start = torch.randn(new long[] { 16, 16 }, dtype: torch.float64);

    using (var bigram = nn.Embedding(16, 16, dtype: torch.float64))
    {
        using (torch.no_grad()) bigram.weight!.copy_(start);
        var sgd = torch.optim.SGD(bigram.parameters(), 0.5);
        var losses = new double[3];
        for (int i = 0; i < 3; i++)
            losses[i] = Trainer.TrainStep(bigram, sgd, inputs, targets, 0.5 + 0.25 * i, 1e6);
        Observe("three_step_losses", torch.tensor(losses, dtype: torch.float64));
        Observe("weights_after_three_steps", bigram.weight!);
    }

    using (var bigram = nn.Embedding(16, 16, dtype: torch.float64))
    {
        using (torch.no_grad()) bigram.weight!.copy_(start);
        var sgd = torch.optim.SGD(bigram.parameters(), 0.5);
        Trainer.TrainStep(bigram, sgd, inputs, targets, 1.0, 0.01);
        Observe("weights_after_clipped_step", bigram.weight!);
    }
}
