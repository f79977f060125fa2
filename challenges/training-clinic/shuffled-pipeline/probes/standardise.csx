// Standardisation, float64, on two shapes: train (11, 3) / test (5, 3) and train (6, 4) / test (9, 4),
// features of very different scales (about 1e3, 1, 1e-2 ...); some test rows lie far outside the
// training range. Observed: both outputs of Pipeline.Standardise (against the reference), the
// test output against (test - train mean) / train std computed here, the fitted Mean and Std of
// Standardiser.Fit, and the gradient of a weighted sum of the outputs of Standardise and Transform
// w.r.t. their inputs.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var trainOut = new List<Tensor>();
    var testOut = new List<Tensor>();
    var testByHand = new List<Tensor>();
    var stats = new List<Tensor>();
    var inputs = new List<Tensor>();
    var transformed = new List<Tensor>();
    foreach (var (nTrain, nTest, f) in new (int, int, int)[] { (11, 5, 3), (6, 9, 4) })
    {
        var scale = torch.pow(10.0, torch.arange(3, 3 - 2 * f, -2, dtype: torch.float64)).unsqueeze(0); // 1e3, 1e1, ...
        var train = (torch.randn(new long[] { nTrain, f }, dtype: torch.float64) + 3.0) * scale;
        var test = (torch.randn(new long[] { nTest, f }, dtype: torch.float64) * 40.0 + 5.0) * scale;
        var trainInput = train.clone().requires_grad_(true);
        var testInput = test.clone().requires_grad_(true);
        var (a, b) = Pipeline.Standardise(trainInput, testInput);
        inputs.Add(trainInput);
        inputs.Add(testInput);
        transformed.Add(a.reshape(-1));
        transformed.Add(b.reshape(-1));
        trainOut.Add(a.detach().reshape(-1));
        testOut.Add(b.detach().reshape(-1));
        var mean = train.mean(new long[] { 0 }, keepdim: true);
        var std = (train - mean).pow(2).mean(new long[] { 0 }, keepdim: true).sqrt();
        testByHand.Add(((test - mean) / std).reshape(-1));

        var scaler = Standardiser.Fit(train);
        stats.Add(scaler.Mean);
        stats.Add(scaler.Std);
        var x = test.clone().requires_grad_(true);
        inputs.Add(x);
        transformed.Add(scaler.Transform(x).reshape(-1));
    }
    Observe("train_standardised", torch.cat(trainOut.ToArray(), 0));
    Observe("test_standardised", torch.cat(testOut.ToArray(), 0));
    Observe("test_standardised_by_hand", torch.cat(testByHand.ToArray(), 0));
    ObserveAll("fitted_statistics", stats.ToArray());
    ObserveGradients("standardise_gradients", torch.cat(transformed.ToArray(), 0), inputs.ToArray());
}
