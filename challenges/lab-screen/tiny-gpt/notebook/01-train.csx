// Train the tiny GPT for 150 steps on a corpus of one repeated pattern, 1 2 3 ... 9. A model this
// size learns it quickly: the loss should fall well below 1.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// 27 sequences of 13 tokens (the most a block of 12 takes), each starting elsewhere in the pattern.
var corpus = Enumerable.Range(0, 27).Select(o => Enumerable.Range(o, 13).Select(i => (long)(i % 9 + 1)).ToArray()).ToList();
var model = new TinyGpt(new GptConfig());
var losses = Trainer.Train(model, corpus, new TrainConfig(Steps: 150, BatchSize: 16), seed: 1);
for (int step = 0; step < losses.Length; step++)
    Plot("training loss", step, losses[step]);
Console.WriteLine($"loss {losses[0]:F2} at the first step, {losses[^1]:F2} at the last");
