// MeanSquaredError, float64, with a (B, 1) regression head against (B,) targets:
//  - B = 3: the loss and its gradient with respect to the predictions;
//  - B = 1;
//  - predictions already flat, (B,) with B = 5 (last: a failure here must not hide the others).
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
}
