// Run the second sequence alone, without padding, and compare with its real positions in the
// batch. Batching must not change a sequence's outputs: the difference should be float32
// rounding (about 1e-7).
var alone = layer.forward(x[1].narrow(0, 0, 3).unsqueeze(0), ones(new long[] { 1, 3 }, dtype: @bool));
Console.WriteLine($"largest difference alone vs batched: {(alone[0] - y[1].narrow(0, 0, 3)).abs().max().item<float>():G3}");
