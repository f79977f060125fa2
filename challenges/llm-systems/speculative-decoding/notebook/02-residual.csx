// The distribution a rejected draft is resampled from, for the same p and q. It should put
// its mass where the target wants more than the draft gives: [0.75, 0, 0.25, 0].
Show(Speculative.Residual(p[0, 0], q[0, 0]), "Residual(p, q)");
