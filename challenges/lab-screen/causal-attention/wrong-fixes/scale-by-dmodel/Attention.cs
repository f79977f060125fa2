using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// Multi-head causal self-attention, the attention block of a small decoder-only (GPT-style) model.
/// Input and output are (batch, time, dModel); position t may only use positions 0..t.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;

    private readonly int _dModel;
    private readonly int _nHeads;
    private readonly int _headDim;

    public CausalSelfAttention(int dModel, int nHeads) : base(nameof(CausalSelfAttention))
    {
        if (dModel <= 0 || nHeads <= 0 || dModel % nHeads != 0)
            throw new ArgumentException($"dModel ({dModel}) must be a positive multiple of nHeads ({nHeads}).");

        _dModel = dModel;
        _nHeads = nHeads;
        _headDim = dModel / nHeads;

        query = nn.Linear(dModel, dModel, hasBias: true);
        key = nn.Linear(dModel, dModel, hasBias: true);
        value = nn.Linear(dModel, dModel, hasBias: true);
        output = nn.Linear(dModel, dModel, hasBias: true);

        RegisterComponents();
    }

    // x: (B, T, dModel) -> (B, T, dModel)
    public override Tensor forward(Tensor x)
    {
        long B = x.shape[0], T = x.shape[1];

        // (B, T, dModel) -> (B, nHeads, T, headDim)
        var q = query.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var k = key.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var v = value.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);

        // attention scores, (B, nHeads, T, T)
        var scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / _dModel);

        // causal mask: a token may attend to itself and to earlier tokens only
        var allowed = torch.tril(torch.ones(T, T, device: x.device));
        scores = scores.masked_fill(allowed.eq(0), double.NegativeInfinity);

        // attention weights
        var weights = nn.functional.softmax(scores, -1);

        // (B, nHeads, T, headDim) -> (B, T, dModel)
        var y = torch.matmul(weights, v).transpose(1, 2).contiguous().view(B, T, _dModel);
        return output.forward(y);
    }
}
