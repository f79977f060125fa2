// Wrap a "pretrained" 8 -> 8 projection with a new adapter (rank 2, alpha 16). Before any training
// the adapter must not change anything: the difference to the base layer should be exactly 0.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var layer = new LoraLinear(8, 8, 2, 16.0);
var parameters = layer.named_parameters().ToDictionary(np => np.name, np => np.parameter);
var baseWeight = parameters["base_layer.weight"].detach().clone();
var baseBias = parameters["base_layer.bias"].detach().clone();
var x = randn(new long[] { 16, 8 });
Console.WriteLine($"new adapter vs base layer, largest difference: {(layer.forward(x) - (x.matmul(baseWeight.t()) + baseBias)).abs().max().item<float>():G4}");
