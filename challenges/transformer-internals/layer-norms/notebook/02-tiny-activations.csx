// Near-constant rows: 2 + 3e-3 * noise. Each row's variance v (about 9e-6) is comparable to
// eps = 1e-5, so with unit weight and zero bias the output of a row should have standard deviation
// sqrt(v / (v + eps)), somewhat below 1: the two columns below should agree.
var flat = 2.0 + 3e-3 * randn(new long[] { 1, 4, 8 }, dtype: float64);
var v = flat.var(-1, unbiased: false);
Show(torch.sqrt(v / (v + 1e-5)), "expected standard deviation of each row's output");
Show(ln.forward(flat).std(-1, unbiased: false), "standard deviation of each row's output");
