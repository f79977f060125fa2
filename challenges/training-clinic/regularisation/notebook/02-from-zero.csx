// The same fit from all-zero weights, as the linear probe starts. It should end where the first
// run ended.
var probe = nn.Sequential(("fc", nn.Linear(12, 1)));
probe.to(float64);
using (no_grad())
    foreach (var p in probe.parameters())
        p.zero_();
var probeWeights = Fit(probe, "zero init");
Show(probeWeights, "fc.weight after training from zero");
