// Guards that no planted bug changes, each part on its own (float64, injected weights):
//  - Batches.Make inputs over a sweep of batch sizes (1..5) and block sizes (3..9);
//  - Mlp: output on typical and on wide-range inputs, gradients w.r.t. its input and parameters;
//  - Trainer.Loss on large logits (no padding): value and gradient;
//  - the documented defaults of TrainConfig and GptConfig.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
    {
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            if (name.Contains("ln")) p.copy_(name.EndsWith("weight") ? 1 + 0.2 * r : 0.2 * r);
            else if (p.dim() == 1) p.copy_(0.2 * r);
            else if (name.EndsWith("wte.weight") || name.EndsWith("wpe.weight")) p.copy_(r);
            else p.copy_(r / Math.Sqrt(p.shape[1]));
        }
    }
}

static double[] DefaultsOf(Type type) =>
    type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First()
        .GetParameters().Select(p => p.HasDefaultValue ? Convert.ToDouble(p.DefaultValue) : double.NaN).ToArray();

static Tensor Weights(Tensor like) =>
    torch.cos(torch.arange(1, like.numel() + 1, dtype: torch.float64)).reshape(like.shape).to(like.dtype);

using (var scope = torch.NewDisposeScope())
{
    var inputs = new List<Tensor>();
    foreach (var (rows, blockSize) in new[] { (1, 3), (2, 5), (3, 6), (5, 9), (4, 4) })
    {
        var lengths = torch.randint(2, blockSize + 2, new long[] { rows }, dtype: torch.int64).data<long>().ToArray();
        var sequences = lengths.Select(n => torch.randint(1, 16, new long[] { n }, dtype: torch.int64).data<long>().ToArray()).ToList();
        inputs.Add(Batches.Make(sequences, blockSize).Inputs);
    }
    ObserveAll("make_inputs_sweep", inputs);

    using (var mlp = new Mlp(12, 20))
    {
        mlp.to(torch.float64);
        Inject(mlp);
        var x = torch.randn(new long[] { 2, 5, 12 }, dtype: torch.float64).requires_grad_();
        var y = mlp.forward(x);
        ObserveGradients("mlp_input_gradient", y, x);
        ObserveParameterGradients("mlp_parameter_gradients", mlp, (y * Weights(y)).sum());
        using (torch.no_grad())
            Observe("mlp_wide", mlp.forward(WideRange(3, 4, 12)));
    }

    var logits = (40.0 * torch.randn(new long[] { 3, 4, 11 }, dtype: torch.float64)).requires_grad_();
    var targets = torch.randint(1, 11, new long[] { 3, 4 }, dtype: torch.int64);
    var loss = Trainer.Loss(logits, targets);
    Observe("loss_large_logits", loss.detach().clone());
    ObserveGradients("loss_large_logits_gradient", loss, logits);

    // The defaults as the submission declares them: a `new TrainConfig()` in this probe would be
    // compiled with the reference's default values.
    Observe("train_config_defaults", torch.tensor(DefaultsOf(typeof(TrainConfig)), dtype: torch.float64));
    Observe("gpt_config_defaults", torch.tensor(DefaultsOf(typeof(GptConfig)), dtype: torch.float64));
}
