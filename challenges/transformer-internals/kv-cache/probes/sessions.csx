// One DecodingSession serving three requests in a row, float64, weights injected: vocab 11,
// dModel 16, 2 heads, 1 layer, 32 positions. Request A (B=2, prompt 5, 4 new tokens), then request
// B (B=2, prompt 3, 5 new), then A again (B=2): B's and A's logits must equal those of a fresh
// session (second_request vs fresh_second, third_request vs fresh_third); the cache's length after
// each request, against the reference; after Cache.Reset(), every layer's keys and values must be
// null. The head's weights are 10 times the others', so the logits reach past +-10.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            if (name.Contains("ln")) p.copy_(name.EndsWith("weight") ? 1 + 0.2 * r : 0.2 * r);
            else if (p.dim() == 1) p.copy_(0.2 * r);
            else if (name.StartsWith("tokens") || name.StartsWith("positions")) p.copy_(r);
            else p.copy_(r / Math.Sqrt(p.shape[1]));
        }
}

using (var scope = torch.NewDisposeScope())
using (var model = new TinyDecoder(11, 16, 2, 1, 32))
using (torch.no_grad())
{
    model.to(torch.float64);
    Inject(model);
    foreach (var (name, p) in model.named_parameters().ToList())
        if (name.StartsWith("head")) p.mul_(10.0);
    var promptA = torch.randint(0, 11, new long[] { 2, 5 }, dtype: torch.int64);
    var promptB = torch.randint(0, 11, new long[] { 2, 3 }, dtype: torch.int64);
    var session = new DecodingSession(model);
    var first = session.Generate(promptA, 4);
    double lengthAfterFirst = session.Cache.Length;
    var second = session.Generate(promptB, 5);
    double lengthAfterSecond = session.Cache.Length;
    var third = session.Generate(promptA, 4);
    Observe("first_request", first);
    Observe("second_request", second);
    Observe("fresh_second", new DecodingSession(model).Generate(promptB, 5));
    Observe("third_request", third);
    Observe("fresh_third", new DecodingSession(model).Generate(promptA, 4));
    Observe("cache_lengths", torch.tensor(new[] { lengthAfterFirst, lengthAfterSecond, (double)session.Cache.Length }, dtype: torch.float64));
    session.Cache.Reset();
    Observe("reset_empties_every_layer", session.Cache.Keys.All(k => k is null) && session.Cache.Values.All(v => v is null) && session.Cache.Length == 0);
}
