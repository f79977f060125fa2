// Tokenize a small corpus, train the char-LSTM for a few epochs and measure it. Every document repeats
// one colour word three times ("teal teal teal."), so once a model has read the first word the rest of
// the document is determined: the loss should fall well below 1 and the perplexity towards 1.5.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var words = new[] { "red", "green", "blue", "gold", "pink", "teal" };
var rng = new Random(3);
string Document() { var w = words[rng.Next(words.Length)]; return $"{w} {w} {w}."; }
var train = Enumerable.Range(0, 60).Select(_ => Document()).ToList();
var heldOut = Enumerable.Range(0, 20).Select(_ => Document()).ToList();

var tokenizer = BpeTokenizer.Train(string.Concat(train), numMerges: 6);
Console.WriteLine($"vocabulary of {tokenizer.VocabSize} tokens; merges: " +
    string.Join(", ", tokenizer.Merges.Select(m => $"'{tokenizer.TokenText(m.Left)}'+'{tokenizer.TokenText(m.Right)}'")));
var sample = tokenizer.Encode("green green");
Console.WriteLine($"'green green' -> [{string.Join(" ", sample)}] -> '{tokenizer.Decode(sample)}'");

var model = new CharLstm(new LstmConfig(VocabSize: tokenizer.VocabSize));
var losses = Trainer.Train(model, tokenizer.EncodeDocuments(train), new TrainConfig());
for (int i = 0; i < losses.Length; i++)
    Plot("training loss per window", i, losses[i]);
var perplexity = Trainer.Perplexity(model, Batcher.Windows(tokenizer.EncodeDocuments(heldOut), 4, 16));
Console.WriteLine($"loss {losses[0]:F2} at the first window, {losses.TakeLast(10).Average():F2} over the last ten; held-out perplexity {perplexity:F2}");
