// A memory task: each sequence starts with +1 or -1 and continues with 7 steps of noise; the label
// is the sign of the first value. The LSTM (1 input, 8 hidden) reads the sequence and a Linear head
// classifies its final h. Adam, lr 0.05, 150 steps of fresh batches of 32. An LSTM solves this
// easily: the loss should fall from ln 2 = 0.69 towards 0.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var cell = new LstmCell(1, 8);
var head = nn.Linear(8, 2);
var optimizer = optim.Adam(cell.parameters().Concat(head.parameters()), 0.05);
for (int step = 0; step < 150; step++)
{
    var signs = randint(0, 2, new long[] { 32 }, dtype: int64);
    var first = (signs.to_type(float32) * 2 - 1).reshape(32, 1, 1);
    var xs = cat(new[] { first, randn(new long[] { 32, 7, 1 }) * 0.5 }, 1);
    optimizer.zero_grad();
    var (_, h, _) = cell.Forward(xs);
    var loss = nn.functional.cross_entropy(head.forward(h), signs);
    loss.backward();
    optimizer.step();
    Plot("training loss", step, loss.item<float>());
    if (step == 149)
        Console.WriteLine($"loss after 150 steps {loss.item<float>():F3}");
}
