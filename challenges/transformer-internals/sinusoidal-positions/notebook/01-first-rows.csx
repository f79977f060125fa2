// The encodings of the first four positions with 8 features. Position 0 should read
// 0, 1, 0, 1, ... (sin 0 = 0 and cos 0 = 1), and feature 0 of position 1 should be sin 1 = 0.8415.
using System;
using TorchSharp;
using static TorchSharp.torch;

var table = SinusoidalPositions.Table(4, 8);
Show(table, "Table(4, 8): position, feature");
