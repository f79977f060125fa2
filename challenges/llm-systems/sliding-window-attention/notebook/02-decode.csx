// Decode 8 positions one at a time with the rolling KV cache (window 3) and compare each step
// with SlidingWindow.Attention of the whole sequence. They compute the same thing: the
// difference should be at rounding level (about 1e-16) at every step.
var q = randn(new long[] { 1, 1, 8, 4 }, dtype: float64);
var k = randn(new long[] { 1, 1, 8, 4 }, dtype: float64);
var v = randn(new long[] { 1, 1, 8, 4 }, dtype: float64);
var full = SlidingWindow.Attention(q, k, v, 3);
var cache = new RollingKvCache(1, 1, 3, 4);
for (int p = 0; p < 8; p++)
{
    cache.Append(k.narrow(2, p, 1), v.narrow(2, p, 1));
    var step = cache.Attend(q.narrow(2, p, 1));
    var error = (step - full.narrow(2, p, 1)).abs().max().item<double>();
    Console.WriteLine($"position {p}: max |decode - full| = {error:E2}");
}
