// The table against its definition, computed here with Math.Sin / Math.Cos: 11 positions and 7
// features (odd: the last feature is a sin), and 5 positions and 12 features, float64.
using System;
using TorchSharp;
using static TorchSharp.torch;

static Tensor Expected(int length, int dModel)
{
    var values = new double[length * dModel];
    for (int p = 0; p < length; p++)
        for (int j = 0; j < dModel; j++)
        {
            int i = j / 2;
            double angle = p / Math.Pow(10000.0, 2.0 * i / dModel);
            values[p * dModel + j] = j % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
        }
    return torch.tensor(values, dtype: torch.float64).reshape(length, dModel);
}

using (var scope = torch.NewDisposeScope())
{
    Observe("actual", torch.cat(new[] { SinusoidalPositions.Table(11, 7).reshape(-1), SinusoidalPositions.Table(5, 12).reshape(-1) }, 0));
    Observe("definition", torch.cat(new[] { Expected(11, 7).reshape(-1), Expected(5, 12).reshape(-1) }, 0));
}
