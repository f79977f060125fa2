// Which parameters MakeAdamW decays. A model Linear(4, 6) "fc1", LayerNorm(6) "ln1" (its weights
// set away from 1), ReLU, Linear(6, 3) "fc2", float64; every gradient is exactly zero, so AdamW's
// adaptive update is 0 and each step only multiplies decayed parameters by (1 - lr * wd).
// Two settings: (lr 0.1, wd 0.5, 3 steps) and (lr 0.02, wd 2.0, 2 steps). Observed per parameter
// (in name order): parameter after / parameter before, against the reference and against
// (1 - lr * wd)^steps for weight matrices and 1 for biases and norm weights. Then 2 AdamW steps
// with real gradients: the parameters after them, against the reference.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var ratios = new List<Tensor>();
    var expected = new List<Tensor>();
    var afterRealSteps = new List<Tensor>();
    foreach (var (lr, wd, steps) in new (double, double, int)[] { (0.1, 0.5, 3), (0.02, 2.0, 2) })
    {
        var model = nn.Sequential(("fc1", nn.Linear(4, 6)), ("ln1", nn.LayerNorm(6)), ("act", nn.ReLU()), ("fc2", nn.Linear(6, 3)));
        model.to(torch.float64);
        var named = model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList();
        using (torch.no_grad())
            foreach (var (name, p) in named)
                p.copy_(torch.randn(p.shape, dtype: torch.float64) + (name.StartsWith("ln1") ? 2.0 : 0.0));
        var before = named.Select(np => np.parameter.detach().clone()).ToList();

        var optimizer = Training.MakeAdamW(model, lr, wd);
        for (int k = 0; k < steps; k++)
        {
            optimizer.zero_grad();
            var zero = named.Select(np => np.parameter.sum() * 0.0).Aggregate((a, b) => a + b);
            zero.backward();
            optimizer.step();
        }
        for (int i = 0; i < named.Count; i++)
        {
            var p = named[i].parameter;
            ratios.Add((p.detach() / before[i]).reshape(-1));
            double factor = p.dim() >= 2 ? Math.Pow(1.0 - lr * wd, steps) : 1.0;
            expected.Add(torch.full(new long[] { p.numel() }, factor, dtype: torch.float64));
        }

        var x = torch.randn(new long[] { 5, 4 }, dtype: torch.float64);
        var y = torch.tensor(new long[] { 0, 2, 1, 2, 0 }, dtype: torch.int64);
        for (int k = 0; k < 2; k++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            optimizer.step();
        }
        afterRealSteps.AddRange(named.Select(np => np.parameter.detach().reshape(-1)));
    }
    Observe("decay_ratios", torch.cat(ratios.ToArray(), 0));
    Observe("decay_ratios_expected", torch.cat(expected.ToArray(), 0));
    Observe("parameters_after_real_steps", torch.cat(afterRealSteps.ToArray(), 0));
}
