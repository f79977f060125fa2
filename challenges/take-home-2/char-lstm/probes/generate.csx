// Sampler.Generate, on a recurrent model of the probe's own (float64) and on CharLstm:
//  - greedy and sampled continuations (temperatures 0.7 and 1.6, seeded generators) of prompts of
//    lengths 1, 4 and 6, by 0, 1 and 7 tokens;
//  - CharLstm with injected weights: greedy continuation by the generator, and the same continuation
//    recomputed here by re-reading the whole text at every step.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// A small recurrent model of the probe's own (float64): h_t = tanh(E[x_t] + h_{t-1} R), logits
// h_t W + b, so the training loop, the perplexity and the generator are tested apart from CharLstm.
sealed class ProbeRnn : RecurrentLm
{
    private readonly Parameter embed, recur, head, offset;
    private readonly long hidden;

    public ProbeRnn(int vocab, int hiddenDim) : base("ProbeRnn")
    {
        hidden = hiddenDim;
        embed = nn.Parameter(torch.randn(new long[] { vocab, hiddenDim }, dtype: torch.float64));
        recur = nn.Parameter(0.8 * torch.randn(new long[] { hiddenDim, hiddenDim }, dtype: torch.float64));
        head = nn.Parameter(torch.randn(new long[] { hiddenDim, vocab }, dtype: torch.float64));
        offset = nn.Parameter(0.3 * torch.randn(new long[] { vocab }, dtype: torch.float64));
        RegisterComponents();
    }

    public override (Tensor Logits, LstmState State) Forward(Tensor idx, LstmState? state)
    {
        var h = state?.H ?? torch.zeros(new long[] { idx.shape[0], hidden }, dtype: torch.float64);
        var outputs = new List<Tensor>();
        for (long t = 0; t < idx.shape[1]; t++)
        {
            h = torch.tanh(embed.index_select(0, idx.select(1, t)) + torch.matmul(h, recur));
            outputs.Add(h);
        }
        return (torch.matmul(torch.stack(outputs, 1), head) + offset, new LstmState(h, 2 * h));
    }
}

static List<Tensor> SortedParameters(nn.Module module) =>
    module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => (Tensor)np.parameter.detach().clone()).ToList();

static List<(Tensor Inputs, Tensor Targets)> RandomWindows(int vocab, int rows, params int[] widths) =>
    widths.Select(w => (torch.randint(0, vocab, new long[] { rows, w }, dtype: torch.int64), torch.randint(0, vocab, new long[] { rows, w }, dtype: torch.int64))).ToList();

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(name.StartsWith("embed") ? torch.randn(p.shape, dtype: torch.float64) : 0.8 * torch.randn(p.shape, dtype: torch.float64));
}

using (var scope = torch.NewDisposeScope())
{
    using (var model = new ProbeRnn(13, 6))
    {
        var greedy = new List<Tensor>();
        var sampled = new List<Tensor>();
        foreach (var (rows, promptLength, newTokens) in new[] { (3, 4, 7), (2, 1, 7), (4, 6, 1), (2, 3, 0) })
        {
            var prompt = torch.randint(0, 13, new long[] { rows, promptLength }, dtype: torch.int64);
            greedy.Add(Sampler.Generate(model, prompt, newTokens, 0.0, new torch.Generator(5)));
            sampled.Add(Sampler.Generate(model, prompt, newTokens, 0.7, new torch.Generator((ulong)(11 + promptLength))));
            sampled.Add(Sampler.Generate(model, prompt, newTokens, 1.6, new torch.Generator((ulong)(23 + promptLength))));
        }
        ObserveAll("greedy", greedy);
        ObserveAll("sampled", sampled);
    }

    using (var lstm = new CharLstm(new LstmConfig(VocabSize: 9, EmbedDim: 4, HiddenDim: 6)))
    {
        lstm.to(torch.float64);
        Inject(lstm);
        var prompt = torch.randint(0, 9, new long[] { 3, 3 }, dtype: torch.int64);
        var generated = Sampler.Generate(lstm, prompt, 8, 0.0, new torch.Generator(3));
        var text = prompt;
        using (torch.no_grad())
            for (int i = 0; i < 8; i++)
            {
                var next = lstm.Forward(text, null).Logits.select(1, -1).argmax(-1, keepdim: true);
                text = torch.cat(new[] { text, next }, 1);
            }
        Observe("cached", generated);
        Observe("recomputed", text);
    }
}
