// Trainer.Train with the default learning rates, clipping norm and weight decay on a short run
// (8 steps, warm-up 3, batches of 3, blockSize 8) of a TinyGpt (default config, float64, injected
// weights). The corpus is one padded sequence, so every minibatch is the same whatever is drawn.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
    {
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            if (name.Contains("ln")) p.copy_(name.EndsWith("weight") ? 1 + 0.2 * r : 0.2 * r);
            else if (p.dim() == 1) p.copy_(0.2 * r);
            else if (name.EndsWith("wte.weight") || name.EndsWith("wpe.weight")) p.copy_(r);
            else p.copy_(r / Math.Sqrt(p.shape[1]));
        }
    }
}

using (var scope = torch.NewDisposeScope())
using (var model = new TinyGpt(new GptConfig()))
{
    model.to(torch.float64);
    Inject(model);
    var sequence = torch.randint(1, 16, new long[] { 7 }, dtype: torch.int64).data<long>().ToArray();
    var corpus = new List<long[]> { sequence };
    // TrainConfig's defaults as the submission declares them (a `new TrainConfig()` here would be
    // compiled with the reference's), then a short run.
    var ctor = typeof(TrainConfig).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
    var defaults = (TrainConfig)ctor.Invoke(ctor.GetParameters().Select(p => p.DefaultValue).ToArray());
    var config = defaults with { Steps = 8, BatchSize = 3, BlockSize = 8, WarmupSteps = 3 };
    var losses = Trainer.Train(model, corpus, config, 5);
    Observe("short_run_losses", torch.tensor(losses, dtype: torch.float64));
    ObserveAll("short_run_parameters",
        model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.parameter).ToList());
}
