// The table for 6 positions and 8 features, float64 (positions 0..5).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
    Observe("table", SinusoidalPositions.Table(6, 8));
