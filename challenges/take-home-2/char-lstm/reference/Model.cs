using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>Hyper-parameters of <see cref="CharLstm"/>.</summary>
public sealed record LstmConfig(int VocabSize = 24, int EmbedDim = 16, int HiddenDim = 48);

/// <summary>The recurrent state carried between calls: hidden and cell state, each (B, HiddenDim).</summary>
public sealed record LstmState(Tensor H, Tensor C)
{
    /// <summary>The same values, cut off from the graph that computed them.</summary>
    public LstmState Detach() => new(H.detach(), C.detach());
}

/// <summary>A language model that reads token ids (B, T) from a state and returns next-token logits
/// (B, T, V) with the state after the last position. A null state is the zero state.</summary>
public abstract class RecurrentLm : nn.Module
{
    protected RecurrentLm(string name) : base(name) { }

    public abstract (Tensor Logits, LstmState State) Forward(Tensor idx, LstmState? state);
}

/// <summary>
/// One LSTM cell, gates in the order input, forget, candidate, output (as torch.nn.LSTM):
/// z = x W_ihᵀ + h W_hhᵀ + bias, split into four blocks of HiddenDim; i, f, o = sigmoid, g = tanh;
/// c' = f * c + i * g, h' = o * tanh(c').
/// </summary>
public sealed class LstmCell : nn.Module
{
    private readonly Parameter weight_ih;
    private readonly Parameter weight_hh;
    private readonly Parameter bias;

    public int HiddenDim { get; }

    public LstmCell(int inputDim, int hiddenDim) : base(nameof(LstmCell))
    {
        if (inputDim <= 0 || hiddenDim <= 0)
            throw new ArgumentException("inputDim and hiddenDim must be positive");
        HiddenDim = hiddenDim;
        double bound = 1.0 / Math.Sqrt(hiddenDim);
        weight_ih = nn.Parameter(torch.zeros(4 * hiddenDim, inputDim).uniform_(-bound, bound));
        weight_hh = nn.Parameter(torch.zeros(4 * hiddenDim, hiddenDim).uniform_(-bound, bound));
        // Every bias starts at 0 except the forget gate's, which starts at 1 so that the cell keeps its
        // memory early in training.
        var b = torch.zeros(4 * hiddenDim);
        b.narrow(0, hiddenDim, hiddenDim).fill_(1.0);
        bias = nn.Parameter(b);
        RegisterComponents();
    }

    /// <summary>One time step: x (B, inputDim), h and c (B, HiddenDim) -> (h', c').</summary>
    public (Tensor H, Tensor C) Step(Tensor x, Tensor h, Tensor c)
    {
        var z = torch.matmul(x, weight_ih.t()) + torch.matmul(h, weight_hh.t()) + bias;
        var gates = z.chunk(4, -1);
        var i = torch.sigmoid(gates[0]);
        var f = torch.sigmoid(gates[1]);
        var g = torch.tanh(gates[2]);
        var o = torch.sigmoid(gates[3]);
        var cNext = f * c + i * g;
        var hNext = o * torch.tanh(cNext);
        return (hNext, cNext);
    }
}

/// <summary>Embedding, one LSTM layer, and a linear projection to the vocabulary.</summary>
public sealed class CharLstm : RecurrentLm
{
    private readonly Embedding embed;
    private readonly LstmCell cell;
    private readonly Linear proj;

    public LstmConfig Config { get; }

    public CharLstm(LstmConfig config) : base(nameof(CharLstm))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        embed = nn.Embedding(config.VocabSize, config.EmbedDim);
        cell = new LstmCell(config.EmbedDim, config.HiddenDim);
        proj = nn.Linear(config.HiddenDim, config.VocabSize);
        RegisterComponents();
    }

    public override (Tensor Logits, LstmState State) Forward(Tensor idx, LstmState? state)
    {
        long B = idx.shape[0], T = idx.shape[1];
        var x = embed.forward(idx); // (B, T, EmbedDim)
        var h = state?.H ?? torch.zeros(B, Config.HiddenDim, dtype: x.dtype, device: x.device);
        var c = state?.C ?? torch.zeros(B, Config.HiddenDim, dtype: x.dtype, device: x.device);
        var outputs = new List<Tensor>();
        for (long t = 0; t < T; t++)
        {
            (h, c) = cell.Step(x.select(1, t), h, c);
            outputs.Add(h);
        }
        var logits = proj.forward(torch.stack(outputs, 1)); // (B, T, V)
        return (logits, new LstmState(h, c));
    }
}
