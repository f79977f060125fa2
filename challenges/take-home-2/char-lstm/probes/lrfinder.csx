// LrFinder on its own:
//  - Schedule over several ranges and lengths;
//  - Smooth of random loss curves with beta 0.9, 0.5 and 0.98;
//  - Suggest on hand-made smoothed curves (a dip before a blow-up, a flat curve, a run that diverges
//    at once, a cut exactly at 4 times the lowest loss, uneven rates);
//  - Run: a range test of a recurrent model of the probe's own (float64, SGD) over 10 windows, with
//    Run's default beta and clipping norm, and those defaults.
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
    var schedules = new List<Tensor>();
    foreach (var (start, end, steps) in new[] { (1e-4, 1.0, 7), (1e-3, 10.0, 2), (0.01, 0.5, 13) })
        schedules.Add(torch.tensor(LrFinder.Schedule(start, end, steps), dtype: torch.float64));
    ObserveAll("schedules", schedules);

    var smoothed = new List<Tensor>();
    foreach (var beta in new[] { 0.9, 0.5, 0.98 })
    {
        var losses = (3.0 + torch.rand(new long[] { 12 }, dtype: torch.float64) - 0.15 * torch.arange(12, dtype: torch.float64)).data<double>().ToArray();
        smoothed.Add(torch.tensor(LrFinder.Smooth(losses, beta), dtype: torch.float64));
    }
    ObserveAll("smoothed", smoothed);

    var rates = Enumerable.Range(0, 12).Select(i => 1e-4 * Math.Pow(3.0, i)).ToArray();
    var uneven = (1e-3 * torch.cumsum(0.5 + torch.rand(new long[] { 9 }, dtype: torch.float64), 0)).data<double>().ToArray();
    var curves = new List<(double[] Rates, double[] Curve)>
    {
        (rates, new[] { 2.3, 2.3, 2.25, 2.1, 1.8, 1.3, 1.0, 0.9, 0.85, 1.4, 5.0, 9.0 }),
        (rates, new[] { 2.3, 2.2, 1.5, 1.4, 1.35, 1.3, 1.29, 1.28, 1.27, 1.26, 1.25, 1.24 }),
        (rates, Enumerable.Repeat(1.0, 12).ToArray()),
        (rates, new[] { 1.0, 4.5, 0.5, 0.2 }),
        (rates, new[] { 1.0, 0.9, 0.5, 2.0, 0.1, 0.05 }),
        (rates, new[] { 1.0, 0.9, 0.5, 2.01, 0.1, 0.05 }),
        (uneven, (2.0 - 0.2 * torch.cumsum(torch.rand(new long[] { 9 }, dtype: torch.float64), 0)).data<double>().ToArray()),
        (uneven, new[] { 3.0, 2.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4 }),
    };
    Observe("suggested", torch.tensor(curves.Select(c => LrFinder.Suggest(c.Rates.Take(c.Curve.Length).ToArray(), c.Curve)).ToArray(), dtype: torch.float64));

    using (var model = new ProbeRnn(8, 5))
    {
        var sgd = torch.optim.SGD(model.parameters(), 1e-3);
        // Run's default beta and clipping norm as the submission declares them (a call without them
        // here would be compiled with the reference's).
        var defaults = typeof(LrFinder).GetMethod("Run")!.GetParameters().Where(p => p.HasDefaultValue).Select(p => Convert.ToDouble(p.DefaultValue)).ToArray();
        Observe("run_defaults", torch.tensor(defaults, dtype: torch.float64));
        var result = LrFinder.Run(model, sgd, RandomWindows(8, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4), 1e-3, 5.0, defaults[0], defaults[1]);
        ObserveAll("range_test", new List<Tensor>
        {
            torch.tensor(result.LearningRates, dtype: torch.float64),
            torch.tensor(result.Losses, dtype: torch.float64),
            torch.tensor(result.Smoothed, dtype: torch.float64),
            torch.tensor(new[] { result.Suggested }, dtype: torch.float64),
        });
    }
}
