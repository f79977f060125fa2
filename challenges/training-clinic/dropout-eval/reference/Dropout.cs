using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// Inverted dropout: in training mode each entry is zeroed with probability P and the kept ones are
/// scaled by 1 / (1 - P), so the expected output equals the input; in eval mode it is the identity.
/// </summary>
public sealed class InvertedDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>The probability of dropping an entry, in [0, 1).</summary>
    public double P { get; }

    public InvertedDropout(double p) : base(nameof(InvertedDropout))
    {
        if (p < 0 || p >= 1)
            throw new ArgumentOutOfRangeException(nameof(p), "p must be in [0, 1).");
        P = p;
    }

    public override Tensor forward(Tensor x)
    {
        if (!training || P == 0.0)
            return x;
        var keep = torch.rand_like(x).ge(P).to_type(x.dtype);      // 1 with probability 1 - P
        return x * keep / (1.0 - P);
    }
}

/// <summary>The classifier: Linear, ReLU, InvertedDropout, Linear.</summary>
public sealed class DropoutMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly InvertedDropout drop;
    private readonly Linear fc2;

    public DropoutMlp(int inputs, int hidden, int classes, double p) : base(nameof(DropoutMlp))
    {
        fc1 = nn.Linear(inputs, hidden);
        drop = new InvertedDropout(p);
        fc2 = nn.Linear(hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.forward(drop.forward(nn.functional.relu(fc1.forward(x))));
}

/// <summary>Evaluation helpers of the training script.</summary>
public static class Evaluation
{
    /// <summary>
    /// The model's logits for <paramref name="inputs"/>, computed in eval mode without gradients.
    /// The model is left in the mode it was in (training or eval).
    /// </summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        bool wasTraining = model.training;
        model.eval();
        using (torch.no_grad())
        {
            var logits = model.forward(inputs);
            model.train(wasTraining);
            return logits;
        }
    }

    /// <summary>The share of examples whose largest logit is their label, in [0, 1].</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels) =>
        Predict(model, inputs).argmax(1).eq(labels).to_type(torch.float64).mean().item<double>();
}
