// The quantized layer against the float layer on the same inputs. With 8-bit weights and
// activations the outputs should agree to about 1% of their size. Then two inputs whose only
// nonzero entry is x[0] = -1 and x[0] = 2: Forward(x) - bias should be close to x[0] * w[:, 0],
// so the second row about -2 times the first.
var x = randn(new long[] { 4, 8 }, dtype: float64);
var bias = randn(new long[] { 5 }, dtype: float64);
var exact = matmul(x, w.t()) + bias;
var quantized = Int8Matmul.Forward(x, w, bias);
Console.WriteLine($"max |quantized - float| / max |float| = {((quantized - exact).abs().max() / exact.abs().max()).item<double>():F4}");
var zeros = torch.zeros(new long[] { 2, 8 }, dtype: float64);
zeros[0, 0] = -1.0;   // one negative activation, so the range is not all zeros
zeros[1, 0] = 2.0;
var (xScale, xZero) = Int8Matmul.Calibrate(zeros);
Console.WriteLine($"calibration of the second input: scale {xScale:G4}, zero point {xZero}");
Show(Int8Matmul.Forward(zeros, w, bias) - bias, "Forward(x) - bias: only column 0 of x is nonzero");
