// Evaluation.Predict of a DropoutMlp(5, 7, 3, p = 0.4) in training mode, float64, weights
// injected from the seeded generator, on a batch of 4 inputs.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var model = new DropoutMlp(5, 7, 3, 0.4))
{
    model.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / 2.0);
    model.train();
    var x = torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    Observe("logits", Evaluation.Predict(model, x));
}
