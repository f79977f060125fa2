// Trainer.Train with the default learning rate and clipping norm on a short run (2 epochs, 3 lanes,
// windows of 5) of a CharLstm (vocabulary 9, embedding 4, hidden 6, float64, injected weights) over a
// random stream of 40 tokens: the loss of every window and the final parameters. Also the documented
// defaults of TrainConfig and LstmConfig.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(name.StartsWith("embed") ? torch.randn(p.shape, dtype: torch.float64) : 0.6 * torch.randn(p.shape, dtype: torch.float64));
}

static object[] DefaultsOf(Type type) =>
    type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters().Select(p => p.DefaultValue!).ToArray();

using (var scope = torch.NewDisposeScope())
using (var model = new CharLstm(new LstmConfig(VocabSize: 9, EmbedDim: 4, HiddenDim: 6)))
{
    model.to(torch.float64);
    Inject(model);
    var stream = torch.randint(0, 9, new long[] { 40 }, dtype: torch.int64).data<long>().ToArray();
    // TrainConfig's defaults as the submission declares them (a `new TrainConfig()` here would be
    // compiled with the reference's), then a short run.
    var defaults = (TrainConfig)typeof(TrainConfig).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().Invoke(DefaultsOf(typeof(TrainConfig)));
    var losses = Trainer.Train(model, stream, defaults with { Epochs = 2, BatchSize = 3, Window = 5 });
    Observe("short_run_losses", torch.tensor(losses, dtype: torch.float64));
    ObserveAll("short_run_parameters",
        model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).Select(np => (Tensor)np.parameter.detach().clone()).ToList());

    Observe("train_config_defaults", torch.tensor(DefaultsOf(typeof(TrainConfig)).Select(Convert.ToDouble).ToArray(), dtype: torch.float64));
    Observe("lstm_config_defaults", torch.tensor(DefaultsOf(typeof(LstmConfig)).Select(Convert.ToDouble).ToArray(), dtype: torch.float64));
}
