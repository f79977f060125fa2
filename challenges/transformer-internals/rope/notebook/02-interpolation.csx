// Position interpolation: trained at 16 positions, run at 64, every position is scaled by 16/64.
// Position 4 of the long context should be rotated exactly like position 1 without interpolation,
// so the difference below should be 0.
var longContext = new RotaryEmbedding(8, 16, 64);
var v = randn(new long[] { 1, 1, 8 }, dtype: float64);
var difference = (longContext.Apply(v, 4) - rope.Apply(v, 1)).abs().max().item<double>();
Console.WriteLine($"largest difference: {difference:G4}");
