// The training loop and the perplexity, on a recurrent model of the probe's own (float64, SGD):
//  - Trainer.TrainWindows over three consecutive windows (widths 4, 4, 3) at a rate that changes per
//    window, with clipping out of reach: losses and parameters;
//  - one window with a tight clipping norm, and one with a norm the gradients just exceed;
//  - Trainer.Perplexity over windows of widths 5, 5 and 2;
//  - Trainer.Loss over several shapes and on large logits: value and gradient.
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

using (var scope = torch.NewDisposeScope())
{
    var windows = RandomWindows(9, 3, 4, 4, 3);
    using (var model = new ProbeRnn(9, 5))
    {
        var initial = SortedParameters(model);
        var sgd = torch.optim.SGD(model.parameters(), 0.1);
        var carried = Trainer.TrainWindows(model, sgd, windows, w => 0.3 + 0.1 * w, 1e6);
        Observe("carry_losses", torch.tensor(carried, dtype: torch.float64));
        ObserveAll("carry_parameters", SortedParameters(model));

        var clipped = new List<Tensor>();
        foreach (var clip in new[] { 0.05, 0.4 })
        {
            using var again = new ProbeRnn(9, 5);
            using (torch.no_grad())
            {
                var byName = again.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => np.parameter).ToList();
                for (int i = 0; i < byName.Count; i++) byName[i].copy_(initial[i]);
            }
            var step = torch.optim.SGD(again.parameters(), 0.5);
            var loss = Trainer.TrainWindows(again, step, windows.Take(1).ToList(), _ => 0.5, clip);
            clipped.Add(torch.tensor(loss, dtype: torch.float64));
            clipped.AddRange(SortedParameters(again));
        }
        ObserveAll("clipped_step", clipped);
    }

    using (var model = new ProbeRnn(9, 5))
        Observe("perplexity", Trainer.Perplexity(model, RandomWindows(9, 3, 5, 5, 2)));

    var losses = new List<Tensor>();
    foreach (var (b, t, v) in new[] { (2, 3, 7), (1, 5, 4), (3, 2, 11) })
    {
        var logits = torch.randn(new long[] { b, t, v }, dtype: torch.float64);
        losses.Add(Trainer.Loss(logits, torch.randint(0, v, new long[] { b, t }, dtype: torch.int64)).reshape(1));
    }
    ObserveAll("loss_shapes", losses);
    var large = (100.0 * torch.randn(new long[] { 3, 4, 11 }, dtype: torch.float64)).requires_grad_();
    var largeLoss = Trainer.Loss(large, torch.randint(0, 11, new long[] { 3, 4 }, dtype: torch.int64));
    Observe("loss_large_logits", largeLoss.detach().clone());
    ObserveGradients("loss_large_logits_gradient", largeLoss, large);
}
