// Step 0 of a DPO run: the policy is the reference model, so all four log-prob tensors are equal
// where it matters. Three pairs, padded to 7 tokens: a shared prompt, then the response, then padding.
// A healthy DPO loss is ln 2 = 0.6931 here, whatever beta is.
using System;
using TorchSharp;
using static TorchSharp.torch;

Tensor ResponseMask(int T, int[] prompt, int[] response)
{
    var mask = zeros(new long[] { prompt.Length, T }, dtype: float64);
    for (int b = 0; b < prompt.Length; b++)
        mask[b, TensorIndex.Slice(prompt[b], prompt[b] + response[b])] = tensor(1.0);
    return mask;
}

var prompt = new[] { 2, 3, 1 };
var chosenMask = ResponseMask(7, prompt, new[] { 4, 3, 5 });
var rejectedMask = ResponseMask(7, prompt, new[] { 2, 4, 6 });
var policyChosen = -(rand(new long[] { 3, 7 }, dtype: float64) * 3.0);
var policyRejected = -(rand(new long[] { 3, 7 }, dtype: float64) * 3.0);
Console.WriteLine($"step-0 loss, beta 0.1: {Dpo.Loss(policyChosen, policyRejected, policyChosen, policyRejected, chosenMask, rejectedMask, 0.1).item<double>():F4}");
Console.WriteLine($"step-0 loss, beta 1.0: {Dpo.Loss(policyChosen, policyRejected, policyChosen, policyRejected, chosenMask, rejectedMask, 1.0).item<double>():F4}");
