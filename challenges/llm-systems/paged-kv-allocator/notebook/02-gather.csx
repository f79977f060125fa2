// A sequence of 3 prompt tokens that then receives 3 tokens at once (as when several
// speculative tokens are accepted). Gather must give back exactly the 6 keys that went in:
// the difference should be all zeros.
var keys = randn(new long[] { 6, 2 }, dtype: float64);
var fresh = new PagedKvCache(8, 4, 2);
fresh.Allocate(5, keys.narrow(0, 0, 3), keys.narrow(0, 0, 3));
fresh.Append(5, keys.narrow(0, 3, 3), keys.narrow(0, 3, 3));
Show(fresh.Gather(5).keys - keys, "Gather(5).keys - the keys that went in");
