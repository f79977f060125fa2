// A drifted policy: compare Dpo.Loss with the formula written out by hand from the masks, and
// look at what reaches the frozen reference model's log-probs after backward().
// The two losses should agree, and the reference's gradient should be absent (or all zeros).
var referenceChosen = (-(rand(new long[] { 3, 7 }, dtype: float64) * 3.0)).requires_grad_(true);
var referenceRejected = (-(rand(new long[] { 3, 7 }, dtype: float64) * 3.0)).requires_grad_(true);
var trainedChosen = policyChosen.clone().requires_grad_(true);
var trainedRejected = policyRejected.clone().requires_grad_(true);
var loss = Dpo.Loss(trainedChosen, trainedRejected, referenceChosen, referenceRejected, chosenMask, rejectedMask, 0.1);

var margin = ((trainedChosen - referenceChosen) * chosenMask).sum(1) - ((trainedRejected - referenceRejected) * rejectedMask).sum(1);
var byHand = -nn.functional.logsigmoid(0.1 * margin).mean();
Console.WriteLine($"Dpo.Loss: {loss.item<double>():F4}   by hand: {byHand.item<double>():F4}");

loss.backward();
var g = referenceChosen.grad;
Console.WriteLine(g is null ? "reference gets no gradient" : $"largest |gradient| on the reference's log-probs: {g.abs().max().item<double>():E3}");
