// Properties of the model and of its parts, in float64 with injected weights.
//  - causality: TinyGpt logits at positions 0..4 must not change when tokens 5..9 change;
//  - positions: on a constant input (one token repeated) the logits must still differ by position;
//  - attention on x = [a, b, a] (position 1's output is the same under any mask that is a
//    reflection of the causal one, so it isolates the score computation);
//  - a Block whose attention output projection is zero: what is left is the MLP sublayer;
//  - logits of a second configuration (2 layers, dModel 24, 3 heads, T=9).
using System;
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

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    using (var model = new TinyGpt(new GptConfig()))
    {
        model.to(torch.float64);
        Inject(model);
        model.eval();

        const int T = 10, Cut = 5;
        var idx = torch.randint(1, 16, new long[] { 2, T }, dtype: torch.int64);
        // A different token at every position >= Cut (still in 1..15).
        var shifted = (idx.narrow(1, Cut, T - Cut) - 1 + torch.randint(1, 15, new long[] { 2, T - Cut }, dtype: torch.int64)).remainder(15) + 1;
        var perturbed = torch.cat(new[] { idx.narrow(1, 0, Cut), shifted }, 1);
        Observe("prefix_original", model.forward(idx).narrow(1, 0, Cut));
        Observe("prefix_perturbed", model.forward(perturbed).narrow(1, 0, Cut));

        var constant = torch.full(new long[] { 1, T }, 7L, dtype: torch.int64);
        var logits = model.forward(constant);
        Observe("constant_input_position_spread", (logits - logits.narrow(1, 0, 1)).abs().max().ToDouble());
    }

    using (var attention = new CausalSelfAttention(12, 3))
    {
        attention.to(torch.float64);
        Inject(attention);
        var a = torch.randn(new long[] { 2, 1, 12 }, dtype: torch.float64);
        var b = torch.randn(new long[] { 2, 1, 12 }, dtype: torch.float64);
        var y = attention.forward(torch.cat(new[] { a, b, a }, 1));
        Observe("attention_middle", y.select(1, 1));
    }

    using (var block = new Block(12, 3, 20))
    {
        block.to(torch.float64);
        Inject(block);
        foreach (var (name, p) in block.named_parameters())
            if (name.StartsWith("attn.output.", StringComparison.Ordinal))
                p.zero_();
        var x = torch.randn(new long[] { 2, 5, 12 }, dtype: torch.float64);
        Observe("block_without_attention", block.forward(x));
    }

    using (var wide = new TinyGpt(new GptConfig(VocabSize: 16, BlockSize: 16, DModel: 24, NHeads: 3, NLayers: 2, MlpHidden: 40)))
    {
        wide.to(torch.float64);
        Inject(wide);
        wide.eval();
        var idx = torch.randint(1, 16, new long[] { 3, 9 }, dtype: torch.int64);
        Observe("logits_second_config", wide.forward(idx));
    }
}
