// Gradients of the model's parts against the reference (float64, injected weights), and outputs on
// inputs of large magnitude:
//  - CausalSelfAttention(12, 3): gradients w.r.t. its input and parameters; output with large value
//    and output weights;
//  - Block(12, 3, 20): the same;
//  - TinyGpt (default config, head scaled so logits are large): logits and parameter gradients;
//  - Sampler.Probabilities over several temperatures and top-k values: gradient w.r.t. the logits.
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

static Tensor Weights(Tensor like) =>
    torch.cos(torch.arange(1, like.numel() + 1, dtype: torch.float64)).reshape(like.shape).to(like.dtype);

using (var scope = torch.NewDisposeScope())
{
    using (var attention = new CausalSelfAttention(12, 3))
    {
        attention.to(torch.float64);
        Inject(attention);
        var x = torch.randn(new long[] { 2, 5, 12 }, dtype: torch.float64).requires_grad_();
        var y = attention.forward(x);
        ObserveGradients("attention_input_gradient", y, x);
        ObserveParameterGradients("attention_parameter_gradients", attention, (y * Weights(y)).sum());
        using (torch.no_grad())
        {
            // Large values and output weights: outputs far above 10 with the scores unchanged.
            foreach (var (name, p) in attention.named_parameters())
                if (name.StartsWith("value.", StringComparison.Ordinal) || name.StartsWith("output.", StringComparison.Ordinal))
                    p.mul_(10.0);
            Observe("attention_large_outputs", attention.forward(torch.randn(new long[] { 2, 4, 12 }, dtype: torch.float64)));
        }
    }

    using (var block = new Block(12, 3, 20))
    {
        block.to(torch.float64);
        Inject(block);
        var x = torch.randn(new long[] { 2, 5, 12 }, dtype: torch.float64).requires_grad_();
        var y = block.forward(x);
        ObserveGradients("block_input_gradient", y, x);
        ObserveParameterGradients("block_parameter_gradients", block, (y * Weights(y)).sum());
        using (torch.no_grad())
            Observe("block_wide", block.forward(WideRange(2, 4, 12)));
    }

    using (var model = new TinyGpt(new GptConfig()))
    {
        model.to(torch.float64);
        Inject(model);
        using (torch.no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name == "head.weight") p.mul_(30.0);
        model.eval();
        var idx = torch.randint(1, 16, new long[] { 2, 7 }, dtype: torch.int64);
        var logits = model.forward(idx);
        Observe("model_large_logits", logits.detach().clone());
        ObserveParameterGradients("model_parameter_gradients", model, (logits * Weights(logits)).sum());
    }

    var raw = (2.0 * torch.randn(new long[] { 3, 11 }, dtype: torch.float64)).requires_grad_();
    var probs = torch.cat(new[] {
        Sampler.Probabilities(raw, 0.5, 0),
        Sampler.Probabilities(raw, 1.0, 3),
        Sampler.Probabilities(raw, 2.0, 5),
        Sampler.Probabilities(raw, 0.8, 10),
    }, 0);
    ObserveGradients("probabilities_gradient", probs, raw);
}
