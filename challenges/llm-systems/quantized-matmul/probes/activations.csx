// Int8Matmul.Calibrate and Int8Matmul.QuantizeActivations.
//  - Calibrate on mixed-sign, all-positive, all-negative, all-zero and wide-range (1e-2..1e4)
//    tensors: (scale, zeroPoint) of each, in order (calibration);
//  - QuantizeActivations with scale 0.02 and zero point 100 of 25 values from -3 to 3 (most of
//    them outside the range, which saturates at 0 and 255), and of exact ties with scale 0.25;
//  - the round trip (q - zeroPoint) * scale of values inside their calibrated range is within
//    scale / 2 of the value (max_roundtrip_error, relative to scale), and the range's two ends
//    map to 0 and 255 (ends).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var mixed = torch.randn(new long[] { 3, 5 }, dtype: torch.float64) * 2.0;
    var positive = torch.rand(new long[] { 4, 3 }, dtype: torch.float64) * 5.0 + 0.1;
    var negative = -(torch.rand(new long[] { 2, 6 }, dtype: torch.float64) * 3.0 + 0.2);
    var zero = torch.zeros(new long[] { 2, 2 }, dtype: torch.float64);
    var wide = WideRange(3, 4);
    var calibration = new List<double>();
    foreach (var t in new[] { mixed, positive, negative, zero, wide })
    {
        var (s, z) = Int8Matmul.Calibrate(t);
        calibration.Add(s);
        calibration.Add(z);
    }
    Observe("calibration", torch.tensor(calibration.ToArray(), dtype: torch.float64));

    var sweep = torch.linspace(-3.0, 3.0, 25, dtype: torch.float64);
    Observe("saturating", Int8Matmul.QuantizeActivations(sweep, 0.02, 100).to(torch.float64));
    var ties = torch.tensor(new double[] { 0.125, 0.375, -0.125, -0.375, 0.625, 10.125 }, dtype: torch.float64);
    Observe("ties", Int8Matmul.QuantizeActivations(ties, 0.25, 7).to(torch.float64));
    Observe("ties_expected", torch.tensor(new double[] { 7, 9, 7, 5, 9, 47 }, dtype: torch.float64));

    double worst = 0.0;
    var ends = new List<double>();
    foreach (var t in new[] { mixed, positive, negative, wide })
    {
        var (s, z) = Int8Matmul.Calibrate(t);
        var q = Int8Matmul.QuantizeActivations(t, s, z).to(torch.float64);
        worst = Math.Max(worst, (((q - z) * s - t).abs() / s).max().item<double>());
        var lo = Math.Min(t.min().item<double>(), 0.0);
        var hi = Math.Max(t.max().item<double>(), 0.0);
        var qe = Int8Matmul.QuantizeActivations(torch.tensor(new double[] { lo, hi }, dtype: torch.float64), s, z).to(torch.float64);
        ends.Add(qe[0].item<double>());
        ends.Add(qe[1].item<double>());
    }
    Observe("max_roundtrip_error", worst);
    Observe("ends", torch.tensor(ends.ToArray(), dtype: torch.float64));
    Observe("ends_expected", torch.tensor(new double[] { 0, 255, 0, 255, 0, 255, 0, 255 }, dtype: torch.float64));
}
