using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// The keys and values of every layer for the tokens decoded so far, each (B, nHeads, Length, headDim).
/// </summary>
public sealed class KvCache
{
    public Tensor?[] Keys { get; }
    public Tensor?[] Values { get; }

    public KvCache(int nLayers)
    {
        Keys = new Tensor?[nLayers];
        Values = new Tensor?[nLayers];
    }

    /// <summary>The number of positions held (0 when empty).</summary>
    public long Length => Keys[0] is null ? 0 : Keys[0]!.shape[2];

    /// <summary>Forgets every cached position, for the next request.</summary>
    public void Reset()
    {
        Array.Clear(Keys);
        Array.Clear(Values);
    }
}

/// <summary>One pre-norm decoder block: causal self-attention and an MLP, each with a residual.</summary>
public sealed class DecoderBlock : nn.Module
{
    private readonly LayerNorm ln1;
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;
    private readonly LayerNorm ln2;
    private readonly Linear up;
    private readonly Linear down;

    private readonly int _dModel;
    private readonly int _nHeads;
    private readonly int _headDim;

    public DecoderBlock(int dModel, int nHeads) : base(nameof(DecoderBlock))
    {
        _dModel = dModel;
        _nHeads = nHeads;
        _headDim = dModel / nHeads;
        ln1 = nn.LayerNorm(dModel);
        query = nn.Linear(dModel, dModel);
        key = nn.Linear(dModel, dModel);
        value = nn.Linear(dModel, dModel);
        output = nn.Linear(dModel, dModel);
        ln2 = nn.LayerNorm(dModel);
        up = nn.Linear(dModel, 2 * dModel);
        down = nn.Linear(2 * dModel, dModel);
        RegisterComponents();
    }

    // x: (B, T, dModel), the T newest positions; the cache holds the positions before them.
    public Tensor forward(Tensor x, KvCache cache, int layer)
    {
        long B = x.shape[0], T = x.shape[1];
        var h = ln1.forward(x);
        var q = query.forward(h).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var k = key.forward(h).view(B, T, _nHeads, _headDim).transpose(1, 2);
        var v = value.forward(h).view(B, T, _nHeads, _headDim).transpose(1, 2);

        // append the new keys and values after the cached ones, along the time axis
        if (cache.Keys[layer] is { } pastKeys && cache.Values[layer] is { } pastValues)
        {
            k = torch.cat(new[] { pastKeys, k }, 2);
            v = torch.cat(new[] { pastValues, v }, 2);
        }
        cache.Keys[layer] = k;
        cache.Values[layer] = v;

        // new query i sits at position past + i and may attend to keys 0 .. past + i
        long total = k.shape[2], past = total - T;
        var scores = torch.matmul(q, k.transpose(-2, -1)) / Math.Sqrt(_headDim);
        var allowed = torch.ones(T, total, device: x.device).tril(past);
        scores = scores.masked_fill(allowed.eq(0), double.NegativeInfinity);
        var weights = nn.functional.softmax(scores, -1);
        var y = torch.matmul(weights, v).transpose(1, 2).contiguous().view(B, T, _dModel);

        x = x + output.forward(y);
        return x + down.forward(nn.functional.gelu(up.forward(ln2.forward(x))));
    }
}

/// <summary>A tiny GPT-style decoder with learned positions, usable in one pass or with a KvCache.</summary>
public sealed class TinyDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly ModuleList<DecoderBlock> blocks;
    private readonly LayerNorm lnFinal;
    private readonly Linear head;

    public int NLayers { get; }
    public int MaxLength { get; }

    public TinyDecoder(int vocabSize, int dModel, int nHeads, int nLayers, int maxLength) : base(nameof(TinyDecoder))
    {
        if (dModel % nHeads != 0 || nLayers <= 0 || maxLength <= 0)
            throw new ArgumentException("dModel must be a multiple of nHeads, nLayers and maxLength positive.");
        NLayers = nLayers;
        MaxLength = maxLength;
        tokens = nn.Embedding(vocabSize, dModel);
        positions = nn.Embedding(maxLength, dModel);
        blocks = new ModuleList<DecoderBlock>();
        for (int i = 0; i < nLayers; i++)
            blocks.Add(new DecoderBlock(dModel, nHeads));
        lnFinal = nn.LayerNorm(dModel);
        head = nn.Linear(dModel, vocabSize);
        RegisterComponents();
    }

    /// <summary>Logits (B, T, vocab) for a whole sequence (B, T), with no cache.</summary>
    public override Tensor forward(Tensor input) => Step(input, new KvCache(NLayers));

    /// <summary>
    /// Logits (B, T, vocab) for T new tokens (B, T) that follow the cache.Length positions already in
    /// the cache; their keys and values are appended to it.
    /// </summary>
    public Tensor Step(Tensor input, KvCache cache)
    {
        long T = input.shape[1];
        long start = cache.Length;
        if (start + T > MaxLength)
            throw new ArgumentException($"positions {start} .. {start + T - 1} do not fit in the model's {MaxLength} positions.");
        var positionIds = torch.arange(start, start + T, dtype: torch.int64, device: input.device);
        var h = tokens.forward(input) + positions.forward(positionIds);
        for (int i = 0; i < NLayers; i++)
            h = blocks[i].forward(h, cache, i);
        return head.forward(lnFinal.forward(h));
    }
}

/// <summary>Greedy decoding with one cache that is reused from request to request.</summary>
public sealed class DecodingSession
{
    private readonly TinyDecoder _model;

    public KvCache Cache { get; }

    public DecodingSession(TinyDecoder model)
    {
        _model = model;
        Cache = new KvCache(model.NLayers);
    }

    /// <summary>
    /// Prefills the prompt (B, P) in one step, then decodes newTokens greedy tokens one at a time.
    /// Returns the logits (B, newTokens, vocab) each token was chosen from: the first from the
    /// prompt's last position, each later one from the token before it.
    /// </summary>
    public Tensor Generate(Tensor prompt, int newTokens)
    {
        using var noGrad = torch.no_grad();
        Cache.Reset();
        var logits = _model.Step(prompt, Cache).select(1, -1);                 // (B, vocab)
        var chosenFrom = new List<Tensor> { logits };
        for (int i = 1; i < newTokens; i++)
        {
            var next = logits.argmax(-1, keepdim: true);                         // (B, 1)
            logits = _model.Step(next, Cache).select(1, -1);
            chosenFrom.Add(logits);
        }
        return torch.stack(chosenFrom, 1);
    }
}
