// PenalisedLoss of a small classifier, float64: Linear(4, 5) "fc1", Tanh, Linear(5, 3) "fc2",
// weights injected from the seeded generator, cross-entropy on a batch of 6 as the data loss,
// l1 = 0.01, l2 = 0.1.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var model = nn.Sequential(("fc1", nn.Linear(4, 5)), ("act", nn.Tanh()), ("fc2", nn.Linear(5, 3)));
    model.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64));
    var x = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    var y = torch.tensor(new long[] { 0, 2, 1, 1, 0, 2 }, dtype: torch.int64);
    var data = nn.functional.cross_entropy(model.forward(x), y);
    Observe("penalised_loss", Regularisation.PenalisedLoss(data, model, 0.01, 0.1));
}
