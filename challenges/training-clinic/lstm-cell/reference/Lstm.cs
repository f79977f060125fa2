using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// An LSTM cell written out by hand. The 4H columns of both projections hold the gates in the order
/// input i, forget f, candidate g, output o (each H wide), as PyTorch's LSTM lays them out.
/// </summary>
public sealed class LstmCell : nn.Module
{
    private readonly Linear input;     // inputSize -> 4H, with bias
    private readonly Linear hidden;    // H -> 4H, no bias

    public int HiddenSize { get; }

    public LstmCell(int inputSize, int hiddenSize) : base(nameof(LstmCell))
    {
        HiddenSize = hiddenSize;
        input = nn.Linear(inputSize, 4 * hiddenSize, hasBias: true);
        hidden = nn.Linear(hiddenSize, 4 * hiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>One step: x (B, inputSize), h and c (B, H) to the next (h, c).</summary>
    public (Tensor H, Tensor C) Step(Tensor x, Tensor h, Tensor c)
    {
        var gates = input.forward(x) + hidden.forward(h);                   // (B, 4H): [i | f | g | o]
        var chunks = gates.view(gates.shape[0], 4, HiddenSize);             // (B, 4, H)
        var i = torch.sigmoid(chunks.select(1, 0));
        var f = torch.sigmoid(chunks.select(1, 1));
        var g = torch.tanh(chunks.select(1, 2));
        var o = torch.sigmoid(chunks.select(1, 3));
        var cNext = f * c + i * g;
        var hNext = o * torch.tanh(cNext);
        return (hNext, cNext);
    }

    /// <summary>
    /// Runs the cell over xs (B, T, inputSize) from h = c = 0: returns every hidden state (B, T, H)
    /// and the final h and c (B, H).
    /// </summary>
    public (Tensor Outputs, Tensor H, Tensor C) Forward(Tensor xs)
    {
        long batch = xs.shape[0], steps = xs.shape[1];
        var h = torch.zeros(new long[] { batch, HiddenSize }, dtype: xs.dtype, device: xs.device);
        var c = torch.zeros(new long[] { batch, HiddenSize }, dtype: xs.dtype, device: xs.device);
        var outputs = new List<Tensor>();
        for (long t = 0; t < steps; t++)
        {
            (h, c) = Step(xs.select(1, t), h, c);
            outputs.Add(h);
        }
        return (torch.stack(outputs, 1), h, c);
    }
}
