using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// L1 and L2 weight penalties added to a data loss (elastic-net style regularisation).
/// </summary>
public static class Regularisation
{
    /// <summary>The weights the penalties apply to: the model's parameters of two or more dimensions.</summary>
    public static List<Tensor> PenalisedWeights(nn.Module model) =>
        model.named_parameters().Where(np => np.parameter.dim() >= 2).Select(np => (Tensor)np.parameter).ToList();

    /// <summary>L1 penalty: the sum of |w| over every entry of every weight; its gradient at w = 0 is 0.</summary>
    public static Tensor L1(IReadOnlyList<Tensor> weights)
    {
        var total = torch.zeros(new long[0], dtype: weights[0].dtype);
        foreach (var w in weights)
            total = total + w.abs().sum();
        return total;
    }

    /// <summary>L2 penalty: half the sum of w² over every entry of every weight.</summary>
    public static Tensor L2(IReadOnlyList<Tensor> weights)
    {
        var total = torch.zeros(new long[0], dtype: weights[0].dtype);
        foreach (var w in weights)
            total = total + (w * w).sum();
        return 0.5 * total;
    }

    /// <summary>dataLoss + l1 * L1(weights) + l2 * L2(weights), over the model's penalised weights.</summary>
    public static Tensor PenalisedLoss(Tensor dataLoss, nn.Module model, double l1, double l2)
    {
        var weights = PenalisedWeights(model);
        return dataLoss + l1 * L1(weights) + l2 * L2(weights);
    }
}
