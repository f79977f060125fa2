// Properties of the table, float64, 14 positions and 10 features:
//  1. relative shift: position p + k is a fixed rotation of position p. With s = row k's sin
//     features and c = row k's cos features, row p+k = (sin_p c + cos_p s, cos_p c - sin_p s)
//     pair by pair (shift_actual vs shift_predicted, for k = 1, 3 and 6, every p);
//  2. a table that starts at position 4 is rows 4.. of a table that starts at 0 (start_table vs
//     start_from_full).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const long T = 14, D = 10;
    var table = SinusoidalPositions.Table(T, D);
    var sin = table.narrow(1, 0, D).view(T, D / 2, 2).select(2, 0);
    var cos = table.narrow(1, 0, D).view(T, D / 2, 2).select(2, 1);
    var actual = new List<Tensor>();
    var predicted = new List<Tensor>();
    foreach (long k in new long[] { 1, 3, 6 })
    {
        long n = T - k;
        var s = sin.narrow(0, k, 1);
        var c = cos.narrow(0, k, 1);
        var sinP = sin.narrow(0, 0, n);
        var cosP = cos.narrow(0, 0, n);
        predicted.Add(torch.stack(new[] { sinP * c + cosP * s, cosP * c - sinP * s }, -1).reshape(n, D));
        actual.Add(table.narrow(0, k, n));
    }
    Observe("shift_actual", torch.cat(actual.ToArray(), 0));
    Observe("shift_predicted", torch.cat(predicted.ToArray(), 0));

    Observe("start_table", SinusoidalPositions.Table(6, 9, 4));
    Observe("start_from_full", SinusoidalPositions.Table(10, 9).narrow(0, 4, 6));
}
