// Speculative.Verify on N=12 sequences with G=2 draft tokens over V=5 tokens, float64: random
// target and draft distributions, drafts drawn from the draft distributions, random uniforms.
// Observes the accepted prefix lengths followed by the next tokens (verify).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int N = 12, G = 2, V = 5;
    var q = torch.softmax(torch.randn(new long[] { N, G, V }, dtype: torch.float64), -1);
    var p = torch.softmax(torch.randn(new long[] { N, G + 1, V }, dtype: torch.float64), -1);
    var u = torch.rand(new long[] { N, G, 1 }, dtype: torch.float64);
    var draft = (q.cumsum(-1) <= u).to(torch.int64).sum(-1).clamp_max(V - 1);
    var (accepted, next) = Speculative.Verify(draft, q, p,
        torch.rand(new long[] { N, G }, dtype: torch.float64), torch.rand(new long[] { N }, dtype: torch.float64));
    Observe("verify", torch.cat(new[] { accepted, next }, 0).to(torch.float64));
}
