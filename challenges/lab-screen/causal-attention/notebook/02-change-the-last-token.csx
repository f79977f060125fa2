// Change only the last token and compare the outputs position by position. A causal layer's
// output at position t depends on tokens 0..t only, so only the last position may change.
var changed = x.clone();
changed[0, 5] = randn(16);
var difference = (layer.forward(changed) - y).abs().amax(new long[] { -1 });
for (int t = 0; t < 6; t++)
    Plot("largest change of the output at each position", t, difference[0, t].item<float>());
