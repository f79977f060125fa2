// Evaluation.Predict and the model in both modes, float64, weights injected from the seeded
// generator, over two configurations: (B 3, inputs 5, hidden 7, classes 3, p 0.4) and
// (B 6, inputs 4, hidden 9, classes 2, p 0.7), and (B 5, inputs 6, hidden 8, classes 4, p 0.35) with
// weights and inputs 6x larger (logits past +-10). Observed, concatenated over the configurations:
//  - Predict twice on the same inputs, and the forward of the same weights with p = 0;
//  - the model's training flag after Predict from training mode and from eval mode, and whether
//    gradients are enabled afterwards;
//  - Accuracy on random labels and on the labels the network without dropout predicts;
//  - the training-mode forward and its parameter and input gradients (same seed as the reference);
//  - the mean of 4000 training-mode forwards of each input against Predict, as the largest
//    |difference| / (1 + largest |Predict|), over the first two configurations.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var first = new List<Tensor>();
    var second = new List<Tensor>();
    var noDropout = new List<Tensor>();
    var trainForward = new List<Tensor>();
    var accuracy = new List<double>();
    bool stillTraining = true, stillEval = true, gradEnabled = true;
    double expectationError = 0;
    foreach (var (b, inputs, hidden, classes, p, scale) in new (int, int, int, int, double, double)[] { (3, 5, 7, 3, 0.4, 1.0), (6, 4, 9, 2, 0.7, 1.0), (5, 6, 8, 4, 0.35, 6.0) })
    {
        var model = new DropoutMlp(inputs, hidden, classes, p);
        var plain = new DropoutMlp(inputs, hidden, classes, 0.0);
        model.to(torch.float64);
        plain.to(torch.float64);
        var plainParameters = plain.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        using (torch.no_grad())
            foreach (var (name, w) in model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            {
                w.copy_(torch.randn(w.shape, dtype: torch.float64) * (scale / 2.0));
                plainParameters[name].copy_(w);
            }
        var x = torch.randn(new long[] { b, inputs }, dtype: torch.float64) * scale;

        model.train();
        first.Add(Evaluation.Predict(model, x).reshape(-1));
        stillTraining &= model.training;
        gradEnabled &= torch.is_grad_enabled();
        second.Add(Evaluation.Predict(model, x).reshape(-1));
        plain.train();
        using (torch.no_grad())
            noDropout.Add(plain.forward(x).reshape(-1));

        var labels = torch.randint(0, classes, new long[] { b }, dtype: torch.int64);
        accuracy.Add(Evaluation.Accuracy(model, x, labels));
        using (torch.no_grad())
            accuracy.Add(Evaluation.Accuracy(model, x, plain.forward(x).argmax(1)));   // 1 when right

        model.eval();
        Evaluation.Predict(model, x);
        stillEval &= !model.training;
        gradEnabled &= torch.is_grad_enabled();

        model.train();
        var xg = x.clone().requires_grad_(true);
        var y = model.forward(xg);
        trainForward.Add(y.detach().reshape(-1));
        ObserveParameterGradients($"train_parameter_gradients_{b}", model, (y * torch.randn(y.shape, dtype: torch.float64)).sum());
        Observe($"train_input_gradient_{b}", xg.grad is { } g ? g : torch.zeros_like(x));

        if (scale == 1.0)
        using (torch.no_grad())
        {
            const int Repeats = 4000;
            var mean = model.forward(x.repeat(Repeats, 1)).reshape(Repeats, b, classes).mean(new long[] { 0 });
            var eval = Evaluation.Predict(model, x);
            expectationError = Math.Max(expectationError,
                (mean - eval).abs().max().item<double>() / (1.0 + eval.abs().max().item<double>()));
        }
    }
    Observe("predict_first", torch.cat(first.ToArray(), 0));
    Observe("predict_second", torch.cat(second.ToArray(), 0));
    Observe("no_dropout_forward", torch.cat(noDropout.ToArray(), 0));
    Observe("still_training_after_predict", stillTraining);
    Observe("still_eval_after_predict", stillEval);
    Observe("grad_enabled_after_predict", gradEnabled);
    Observe("accuracy", torch.tensor(accuracy.ToArray(), dtype: torch.float64));
    Observe("train_forward", torch.cat(trainForward.ToArray(), 0));
    Observe("train_expectation_error", expectationError);
}
