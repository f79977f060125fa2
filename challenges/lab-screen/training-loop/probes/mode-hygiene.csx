// Evaluate's side effects, on a float64 MLP 4 -> 8 -> 3 with dropout (p = 0.5) and 20 examples:
//  - accuracy against the reference, and twice in a row the same (dropout is off in eval mode);
//  - after Evaluate on a model in training mode: gradients enabled, model still training;
//  - after Evaluate on a model in eval mode: still in eval mode;
//  - Evaluate called inside the caller's no_grad block: gradients still disabled afterwards;
//  - Train on a model in eval mode leaves it in training mode.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

nn.Module<Tensor, Tensor> Mlp()
{
    var m = nn.Sequential(("fc1", nn.Linear(4, 8)), ("act", nn.ReLU()), ("drop", nn.Dropout(0.5)), ("fc2", nn.Linear(8, 3)));
    m.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in m.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) * 0.7);
    }
    return m;
}

using (var scope = torch.NewDisposeScope())
using (var model = Mlp())
{
    var x = torch.randn(new long[] { 20, 4 }, dtype: torch.float64);
    var y = torch.randint(0, 3, new long[] { 20 }, dtype: torch.int64);

    model.train();
    Observe("accuracy", Trainer.Evaluate(model, x, y));
    Observe("grad_enabled_after_evaluate", torch.is_grad_enabled());
    Observe("training_after_evaluate", model.training);
    Observe("accuracy_again", Trainer.Evaluate(model, x, y));

    model.eval();
    Trainer.Evaluate(model, x, y);
    Observe("eval_mode_kept", !model.training);

    model.train();
    torch.set_grad_enabled(true);
    using (torch.no_grad())
    {
        Trainer.Evaluate(model, x, y);
        Observe("caller_no_grad_kept", !torch.is_grad_enabled());
    }

    model.eval();
    var oneStep = new TrainConfig
    {
        Epochs = 1, BatchSize = 20, AccumulationSteps = 1, LearningRate = 0.1, WarmupSteps = 0,
        MaxGradNorm = double.PositiveInfinity, Optimizer = OptimizerKind.Sgd,
    };
    Trainer.Train(model, x, y, oneStep);
    Observe("training_after_train", model.training);
}
