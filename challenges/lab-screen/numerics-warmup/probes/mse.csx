// MeanSquaredError, float64, with a (B, 1) regression head against (B,) targets:
//  - B = 3: the loss and its gradient with respect to the predictions;
//  - B = 1;
//  - predictions already flat, (B,) with B = 5 (last: a failure here must not hide the others);
//  - large errors (magnitudes up to 1e4, float64);
//  - float32 errors of 1e20, whose squares overflow: the gradient 2 (p - t) / B is still finite.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var predictions = torch.randn(new long[] { 3, 1 }, dtype: torch.float64).requires_grad_(true);
    var targets = torch.randn(new long[] { 3 }, dtype: torch.float64);
    var loss = Numerics.MeanSquaredError(predictions, targets);
    Observe("mse_b3", loss);
    loss.backward();
    Observe("mse_b3_grad", predictions.grad);

    Observe("mse_b1", Numerics.MeanSquaredError(
        torch.randn(new long[] { 1, 1 }, dtype: torch.float64),
        torch.randn(new long[] { 1 }, dtype: torch.float64)));

    Observe("mse_flat", Numerics.MeanSquaredError(
        torch.randn(new long[] { 5 }, dtype: torch.float64),
        torch.randn(new long[] { 5 }, dtype: torch.float64)));

    var widePredictions = WideRange(8, 1);
    var wideTargets = WideRange(8);
    Observe("mse_wide", Numerics.MeanSquaredError(widePredictions, wideTargets));

    var hugePredictions = (torch.tensor(new float[] { 1e20f, -2e20f, 3.0f, 0.5f }, dtype: torch.float32).reshape(4, 1)).requires_grad_(true);
    var hugeTargets = torch.tensor(new float[] { 0, 1e19f, 1, 0 }, dtype: torch.float32);
    ObserveGradients("mse_overflowing_grad", Numerics.MeanSquaredError(hugePredictions, hugeTargets), hugePredictions);
}
