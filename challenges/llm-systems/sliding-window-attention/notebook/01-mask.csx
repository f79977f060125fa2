// The attention mask for 8 positions and a window of 3: query i should see keys i-2, i-1 and i,
// nothing older and nothing in the future, a band of width 3 on and below the diagonal.
using System;
using TorchSharp;
using static TorchSharp.torch;

Heatmap(SlidingWindow.Mask(8, 3).to(float64), "allowed[i, j], row i = query, column j = key");
