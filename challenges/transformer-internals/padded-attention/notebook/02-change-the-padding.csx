// Overwrite the two padding vectors of the second sequence and compare its outputs position by
// position. Padding carries no information, so the outputs at its real positions 0, 1 and 2
// should not change at all.
var changed = x.clone();
changed[1, 3] = randn(16) * 3;
changed[1, 4] = randn(16) * 3;
var difference = (layer.forward(changed, mask) - y).abs().amax(new long[] { -1 });
for (int t = 0; t < 5; t++)
    Plot("largest change of the second sequence's output at each position", t, difference[1, t].item<float>());
