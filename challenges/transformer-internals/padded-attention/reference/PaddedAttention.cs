using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// Multi-head self-attention (not causal) over a batch of right-padded, variable-length sequences.
/// Input (batch, time, dModel) and a key padding mask (batch, time), true at real tokens and false
/// at padding; output (batch, time, dModel). No query may draw anything from a padding position.
/// </summary>
public sealed class PaddedSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;

    private readonly int _dModel;
    private readonly int _nHeads;
    private readonly int _headDim;

    public PaddedSelfAttention(int dModel, int nHeads) : base(nameof(PaddedSelfAttention))
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

    // x: (B, T, dModel), validMask: (B, T) bool, true at real tokens -> (B, T, dModel)
    public override Tensor forward(Tensor x, Tensor validMask)
    {
        long B = x.shape[0], T = x.shape[1];

        // (B, T, dModel) -> (B, nHeads, T, headDim)
        var q = query.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var k = key.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var v = value.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);

        // attention scores, (B, nHeads, T_query, T_key)
        var scores = torch.matmul(q, k.transpose(-2, -1)) / Math.Sqrt(_headDim);

        // padding keys, the same for every head and every query of a sequence
        var paddingKeys = validMask.logical_not().view(B, 1, 1, T);
        scores = scores.masked_fill(paddingKeys, double.NegativeInfinity);
        var weights = nn.functional.softmax(scores, -1);

        // a query with no real key at all (an empty sequence) gets zero weights, not NaN
        weights = weights.masked_fill(paddingKeys, 0.0);

        // (B, nHeads, T, headDim) -> (B, T, dModel)
        var y = torch.matmul(weights, v).transpose(1, 2).contiguous().view(B, T, _dModel);
        return output.forward(y);
    }
}
