// A small decoder (vocab 11, d_model 16, 2 heads, 2 layers). Generate 6 tokens after a 5-token
// prompt with the cache, then run the whole sequence through the model in one pass. The logits each
// token was chosen from must be the same both ways: the differences should be float32 rounding
// (about 1e-6) at every step.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var model = new TinyDecoder(11, 16, 2, 2, 32);
model.eval();
var prompt = tensor(new long[] { 3, 1, 4, 1, 5 }, new long[] { 1, 5 });
var session = new DecodingSession(model);
var incremental = session.Generate(prompt, 6);
var generated = incremental.argmax(-1);
Console.WriteLine("generated: " + string.Join(" ", generated[0].data<long>()));
using (no_grad())
{
    var full = model.forward(cat(new[] { prompt, generated.narrow(1, 0, 5) }, 1)).narrow(1, 4, 6);
    for (int step = 0; step < 6; step++)
        Plot("largest |incremental - full| at each step", step, (incremental[0, step] - full[0, step]).abs().max().item<float>());
}
