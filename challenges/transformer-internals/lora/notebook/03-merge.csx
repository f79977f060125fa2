// Merge the adapter into the base weight for serving. The merged layer must give the same outputs
// as before: the difference should be float32 rounding (about 1e-6).
Tensor unmerged;
using (no_grad()) unmerged = layer.forward(x);
layer.Merge();
using (no_grad())
    Console.WriteLine($"merged vs unmerged, largest difference: {(layer.forward(x) - unmerged).abs().max().item<float>():G4}");
