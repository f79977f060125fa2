using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// The parametric Swish activation y = x * sigmoid(beta * x), one learnable beta per feature (the
/// last axis), and its derivatives written by hand.
/// </summary>
public static class SwishMath
{
    /// <summary>y = x * sigmoid(beta * x); x is (..., C), beta is (C,).</summary>
    public static Tensor Forward(Tensor x, Tensor beta) => x * torch.sigmoid(beta * x);

    /// <summary>
    /// The gradients of sum(gradOutput * Forward(x, beta)) with respect to x (shape of x) and to beta
    /// (shape (C,)).
    /// </summary>
    public static (Tensor GradInput, Tensor GradBeta) Backward(Tensor x, Tensor beta, Tensor gradOutput)
    {
        var s = torch.sigmoid(beta * x);
        var sigmoidSlope = s * (1.0 - s);                                     // sigmoid'(beta * x)
        var gradInput = gradOutput * (s + beta * x * sigmoidSlope);
        var gradBeta = (gradOutput * x * x * sigmoidSlope).reshape(-1, beta.shape[0]).sum(new long[] { 0 });
        return (gradInput, gradBeta);
    }
}

/// <summary>
/// Parametric Swish as a custom autograd function: saves only its inputs (x and beta) and computes
/// the gradients in backward with SwishMath.Backward, so no intermediate of the forward is kept.
/// </summary>
public sealed class ParametricSwishFunction : torch.autograd.SingleTensorFunction<ParametricSwishFunction>
{
    public override string Name => "ParametricSwish";

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var beta = (Tensor)vars[1];
        var y = SwishMath.Forward(x, beta);
        ctx.save_for_backward(new List<Tensor> { x, beta });
        return y;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (gradInput, gradBeta) = SwishMath.Backward(saved[0], saved[1], gradOutput);
        return new List<Tensor> { gradInput, gradBeta };
    }
}

/// <summary>The activation layer: a learnable beta per feature, initialised to 1.</summary>
public sealed class ParametricSwish : nn.Module<Tensor, Tensor>
{
    private readonly Parameter beta;

    public ParametricSwish(int features) : base(nameof(ParametricSwish))
    {
        beta = nn.Parameter(torch.ones(features));
        RegisterComponents();
    }

    /// <summary>x is (..., features).</summary>
    public override Tensor forward(Tensor x) => ParametricSwishFunction.apply(x, beta);
}
