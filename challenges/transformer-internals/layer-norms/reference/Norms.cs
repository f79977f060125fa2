using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// Layer normalisation over the last axis (the features of each token):
/// y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance (divided by d).
/// </summary>
public sealed class LayerNormalization : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly double _eps;

    public LayerNormalization(int dModel, double eps = 1e-5) : base(nameof(LayerNormalization))
    {
        if (dModel <= 0 || eps < 0)
            throw new ArgumentException($"dModel ({dModel}) must be positive and eps ({eps}) non-negative.");
        weight = nn.Parameter(torch.ones(dModel));
        bias = nn.Parameter(torch.zeros(dModel));
        _eps = eps;
        RegisterComponents();
    }

    // x: (..., dModel) -> (..., dModel)
    public override Tensor forward(Tensor x)
    {
        var mean = x.mean(new long[] { -1 }, keepdim: true);
        var centred = x - mean;
        var variance = x.var(-1, unbiased: false, keepdim: true);
        return centred / torch.sqrt(variance + _eps) * weight + bias;
    }
}

/// <summary>
/// RMS normalisation over the last axis: y = x / sqrt(mean(x^2) + eps) * weight. No mean is
/// subtracted and there is no bias.
/// </summary>
public sealed class RMSNormalization : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RMSNormalization(int dModel, double eps = 1e-6) : base(nameof(RMSNormalization))
    {
        if (dModel <= 0 || eps < 0)
            throw new ArgumentException($"dModel ({dModel}) must be positive and eps ({eps}) non-negative.");
        weight = nn.Parameter(torch.ones(dModel));
        _eps = eps;
        RegisterComponents();
    }

    // x: (..., dModel) -> (..., dModel)
    public override Tensor forward(Tensor x)
    {
        var meanSquare = (x * x).mean(new long[] { -1 }, keepdim: true);
        return x * torch.rsqrt(meanSquare + _eps) * weight;
    }
}
