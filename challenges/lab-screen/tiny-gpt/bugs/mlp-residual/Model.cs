using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>Hyper-parameters of <see cref="TinyGpt"/>. BlockSize is the longest input the model accepts
/// (the number of learned positions).</summary>
public sealed record GptConfig(
    int VocabSize = 16,
    int BlockSize = 16,
    int DModel = 32,
    int NHeads = 2,
    int NLayers = 1,
    int MlpHidden = 128);

/// <summary>Multi-head causal self-attention: position t may only look at positions 0..t.</summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;
    private readonly int _nHeads;
    private readonly int _headDim;

    public CausalSelfAttention(int dModel, int nHeads) : base(nameof(CausalSelfAttention))
    {
        if (dModel <= 0 || nHeads <= 0 || dModel % nHeads != 0)
            throw new ArgumentException($"dModel ({dModel}) must be a positive multiple of nHeads ({nHeads})");
        _nHeads = nHeads;
        _headDim = dModel / nHeads;
        query = nn.Linear(dModel, dModel);
        key = nn.Linear(dModel, dModel);
        value = nn.Linear(dModel, dModel);
        output = nn.Linear(dModel, dModel);
        RegisterComponents();
    }

    // (B, T, D) -> (B, T, D)
    public override Tensor forward(Tensor x)
    {
        long B = x.shape[0], T = x.shape[1], D = x.shape[2];
        var q = query.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2); // (B, H, T, d)
        var k = key.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var v = value.forward(x).view(B, T, _nHeads, _headDim).transpose(1, 2);

        var scores = torch.matmul(q, k.transpose(-2, -1)) / Math.Sqrt(_headDim); // (B, H, T, T)
        var future = torch.triu(torch.ones(T, T, dtype: torch.@bool, device: x.device), diagonal: 1);
        scores = scores.masked_fill(future, double.NegativeInfinity);
        var weights = nn.functional.softmax(scores, -1);

        var y = torch.matmul(weights, v).transpose(1, 2).contiguous().view(B, T, D);
        return output.forward(y);
    }
}

/// <summary>Position-wise feed-forward network.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;
    private readonly Linear proj;

    public Mlp(int dModel, int hidden) : base(nameof(Mlp))
    {
        fc = nn.Linear(dModel, hidden);
        proj = nn.Linear(hidden, dModel);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => proj.forward(nn.functional.gelu(fc.forward(x)));
}

/// <summary>Pre-norm transformer block: x + attn(ln1(x)), then + mlp(ln2(.)).</summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln2;
    private readonly Mlp mlp;

    public Block(int dModel, int nHeads, int mlpHidden) : base(nameof(Block))
    {
        ln1 = nn.LayerNorm(new long[] { dModel });
        attn = new CausalSelfAttention(dModel, nHeads);
        ln2 = nn.LayerNorm(new long[] { dModel });
        mlp = new Mlp(dModel, mlpHidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + attn.forward(ln1.forward(x));
        x = mlp.forward(ln2.forward(x));
        return x;
    }
}

/// <summary>A decoder-only language model: token ids (B, T) -> next-token logits (B, T, VocabSize).</summary>
public sealed class TinyGpt : nn.Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear head;

    public GptConfig Config { get; }

    public TinyGpt(GptConfig config) : base(nameof(TinyGpt))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        wte = nn.Embedding(config.VocabSize, config.DModel);
        wpe = nn.Embedding(config.BlockSize, config.DModel);
        blocks = new ModuleList<Block>();
        for (int i = 0; i < config.NLayers; i++)
            blocks.Add(new Block(config.DModel, config.NHeads, config.MlpHidden));
        ln_f = nn.LayerNorm(new long[] { config.DModel });
        head = nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        RegisterComponents();

        // GPT-2 style initialisation: small normal weights, zero biases.
        using (torch.no_grad())
        {
            foreach (var (name, p) in named_parameters())
            {
                if (name.EndsWith("bias", StringComparison.Ordinal))
                    p.zero_();
                else if (!name.Contains("ln", StringComparison.Ordinal))
                    nn.init.normal_(p, 0.0, 0.02);
            }
        }
    }

    // idx: (B, T) int64 with T <= BlockSize -> logits (B, T, VocabSize)
    public override Tensor forward(Tensor idx)
    {
        long T = idx.shape[1];
        if (T > Config.BlockSize)
            throw new ArgumentException($"sequence length {T} exceeds the block size {Config.BlockSize}");
        // token embeddings plus learned position embeddings
        var tok = wte.forward(idx);
        var pos = wpe.forward(torch.arange(T, dtype: torch.int64, device: idx.device));
        var x = tok + pos;
        foreach (var block in blocks)
            x = block.forward(x);
        return head.forward(ln_f.forward(x));
    }
}
