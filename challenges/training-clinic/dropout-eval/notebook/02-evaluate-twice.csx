// Evaluate the trained model twice on the same five validation examples. Evaluation should be
// deterministic: the two sets of logits should be identical.
var a = Evaluation.Predict(model, validInputs.narrow(0, 0, 5));
var b = Evaluation.Predict(model, validInputs.narrow(0, 0, 5));
Show(a, "first evaluation");
Show(b, "second evaluation");
Console.WriteLine($"largest difference {(a - b).abs().max().item<float>():G4}; accuracy twice: {Evaluation.Accuracy(model, validInputs, validLabels):F3}, {Evaluation.Accuracy(model, validInputs, validLabels):F3}");
