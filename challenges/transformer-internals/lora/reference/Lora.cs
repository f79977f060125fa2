using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// A linear layer with a LoRA adapter (Hu et al., 2021): y = base(x) + (alpha / r) * x Aᵀ Bᵀ.
/// The pretrained base weights are frozen; only A (r, in) and B (out, r) are trained. B starts at
/// zero, so a new adapter leaves the base layer's outputs unchanged. Merge() folds the adapter into
/// the base weight for inference.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear base_layer;
    private readonly Parameter lora_A;
    private readonly Parameter lora_B;

    public int Rank { get; }
    public double Alpha { get; }
    public bool Merged { get; private set; }

    /// <summary>The factor the adapter's output is multiplied by: alpha / r.</summary>
    public double Scaling => Alpha / Rank;

    public LoraLinear(int inFeatures, int outFeatures, int rank, double alpha) : base(nameof(LoraLinear))
    {
        if (inFeatures <= 0 || outFeatures <= 0 || rank <= 0 || alpha <= 0)
            throw new ArgumentException("inFeatures, outFeatures, rank and alpha must be positive.");
        Rank = rank;
        Alpha = alpha;

        base_layer = nn.Linear(inFeatures, outFeatures, hasBias: true);
        lora_A = nn.Parameter(torch.randn(rank, inFeatures) / Math.Sqrt(inFeatures));
        lora_B = nn.Parameter(torch.zeros(outFeatures, rank));
        RegisterComponents();

        // the pretrained weights stay as they are: no gradient reaches them
        base_layer.weight!.requires_grad_(false);
        base_layer.bias!.requires_grad_(false);
    }

    // x: (..., inFeatures) -> (..., outFeatures)
    public override Tensor forward(Tensor x)
    {
        var y = base_layer.forward(x);
        if (Merged)
            return y;
        var update = torch.matmul(torch.matmul(x, lora_A.t()), lora_B.t());
        return y + update * Scaling;
    }

    /// <summary>
    /// Adds (alpha / r) * B A to the base weight, once; afterwards forward uses the base layer alone
    /// and gives the same outputs as before.
    /// </summary>
    public void Merge()
    {
        if (Merged)
            return;
        using (torch.no_grad())
            base_layer.weight!.add_(torch.matmul(lora_B, lora_A) * Scaling);
        Merged = true;
    }
}
