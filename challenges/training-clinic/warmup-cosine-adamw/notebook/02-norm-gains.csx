// The LayerNorm gains start at 1. Their gradients are small on this problem, so after the run they
// should still be close to 1.
var gains = model.named_parameters().First(np => np.name == "norm.weight").parameter;
Show(gains, "norm.weight after training");
Console.WriteLine($"mean gain {gains.mean().item<float>():F3}");
