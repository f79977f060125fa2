// Forward, float64 and float32: ParametricSwish over shapes (4, 3), (2, 3, 5), with beta from the
// seeded generator, typical inputs and inputs of magnitude up to 1e4; against the reference and
// against x * sigmoid(beta * x) computed here. Also a layer trained for 5 SGD steps (lr 0.1)
// on a small regression: its beta afterwards, against the reference.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var outputs = new List<Tensor>();
    var byHand = new List<Tensor>();
    foreach (var shape in new[] { new long[] { 4, 3 }, new long[] { 2, 3, 5 } })
    {
        long c = shape[^1];
        var layer = new ParametricSwish((int)c);
        layer.to(torch.float64);
        var beta = layer.parameters().First();
        using (torch.no_grad())
            beta.copy_(torch.randn(c, dtype: torch.float64));
        foreach (var x in new[] { torch.randn(shape, dtype: torch.float64) * 3.0, WideRange(shape) * torch.sign(torch.randn(shape, dtype: torch.float64)) })
        {
            using (torch.no_grad())
            {
                outputs.Add(layer.forward(x).reshape(-1));
                byHand.Add((x * torch.sigmoid(beta * x)).reshape(-1));
            }
        }
        var layer32 = new ParametricSwish((int)c);
        using (torch.no_grad())
            layer32.parameters().First().copy_(beta.to_type(torch.float32));
        using (torch.no_grad())
        {
            var x32 = torch.randn(shape, dtype: torch.float32);
            outputs.Add(layer32.forward(x32).to_type(torch.float64).reshape(-1));
            byHand.Add((x32 * torch.sigmoid(beta.to_type(torch.float32) * x32)).to_type(torch.float64).reshape(-1));
        }
    }
    Observe("outputs", torch.cat(outputs.ToArray(), 0));
    Observe("outputs_by_hand", torch.cat(byHand.ToArray(), 0));

    var trained = new ParametricSwish(4);
    trained.to(torch.float64);
    var inputs = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    var targets = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    var optimizer = torch.optim.SGD(trained.parameters(), 0.1);
    for (int step = 0; step < 5; step++)
    {
        optimizer.zero_grad();
        nn.functional.mse_loss(trained.forward(inputs), targets).backward();
        optimizer.step();
    }
    Observe("trained_beta", trained.parameters().First().detach());
}
