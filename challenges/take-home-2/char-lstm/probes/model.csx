// CharLstm in float64 with injected weights (vocabulary 13, embedding 4, hidden 6, B=2, T=9):
//  - logits from the zero state and from a given state;
//  - reading the sequence in two calls, the state carried, gives the logits and state of one call;
//  - parameter gradients; logits of large magnitude.
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

using (var scope = torch.NewDisposeScope())
using (var model = new CharLstm(new LstmConfig(VocabSize: 13, EmbedDim: 4, HiddenDim: 6)))
{
    model.to(torch.float64);
    Inject(model);
    var idx = torch.randint(0, 13, new long[] { 2, 9 }, dtype: torch.int64);
    var start = new LstmState(torch.randn(new long[] { 2, 6 }, dtype: torch.float64), torch.randn(new long[] { 2, 6 }, dtype: torch.float64));
    using (torch.no_grad())
    {
        var (logits, state) = model.Forward(idx, null);
        Observe("logits", logits);
        var (fromState, after) = model.Forward(idx, start);
        ObserveAll("logits_from_state", new List<Tensor> { fromState, after.H, after.C });

        var (first, middle) = model.Forward(idx.narrow(1, 0, 4), null);
        var (second, end) = model.Forward(idx.narrow(1, 4, 5), middle);
        Observe("split_logits", torch.cat(new[] { first, second }, 1));
        Observe("whole_logits", logits);
        Observe("split_state", torch.cat(new[] { end.H, end.C }, -1));
        Observe("whole_state", torch.cat(new[] { state.H, state.C }, -1));
    }

    var (trained, last) = model.Forward(idx, start);
    var weights = torch.cos(torch.arange(1, trained.numel() + 1, dtype: torch.float64)).reshape(trained.shape);
    ObserveParameterGradients("parameter_gradients", model, (trained * weights).sum() + last.C.sum());

    using (torch.no_grad())
    {
        foreach (var (name, p) in model.named_parameters())
            if (name.StartsWith("proj")) p.mul_(40.0);
        Observe("large_logits", model.Forward(idx, start).Logits);
    }
}
