// End to end: learn a tokenizer on a corpus of colour-word documents ("teal teal teal."), train a
// CharLstm (embedding 8, hidden 24; 10 epochs at a rate of 0.05) and measure it on fresh held-out
// documents: the mean cross-entropy of the held-out stream (read in one call from the zero state),
// and greedy continuations of every word's document
// from the end of its first word.
// Once the first word of a document is read the rest of it is determined.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var words = new[] { "red", "green", "blue", "gold", "pink", "teal" };
var rng = new Random((int)(Seed % 1_000_003));
string Document(string w) => $"{w} {w} {w}.";
// Every word 7 times in the training corpus and 4 times in the held-out one, in a random order.
List<string> Corpus(int copies) => words.SelectMany(w => Enumerable.Repeat(Document(w), copies)).OrderBy(_ => rng.Next()).ToList();
var train = Corpus(7);
var heldOut = Corpus(4);

using (var scope = torch.NewDisposeScope())
{
    var tokenizer = BpeTokenizer.Train(string.Concat(train), 6);
    using var model = new CharLstm(new LstmConfig(VocabSize: tokenizer.VocabSize, EmbedDim: 8, HiddenDim: 24));
    var losses = Trainer.Train(model, tokenizer.EncodeDocuments(train), new TrainConfig(Epochs: 10, LearningRate: 5e-2));
    Observe("final_loss", losses.TakeLast(5).Average());
    // Mean cross-entropy over the held-out stream, read in one call from the zero state.
    var stream = torch.tensor(tokenizer.EncodeDocuments(heldOut), dtype: torch.int64).unsqueeze(0);
    using (torch.no_grad())
    {
        var logits = model.Forward(stream.narrow(1, 0, stream.shape[1] - 1), null).Logits;
        Observe("heldout_loss", Trainer.Loss(logits, stream.narrow(1, 1, stream.shape[1] - 1)).ToDouble());
    }

    // Prompt: Bos and the tokens of a whole document up to the end of its first word; the continuation
    // counts as right when it writes the word a second time.
    int right = 0;
    foreach (var word in words)
    {
        var ids = new[] { BpeTokenizer.Bos }.Concat(tokenizer.Encode(Document(word))).ToArray();
        int k = 1;
        while (tokenizer.Decode(ids.Take(k)).Length <= word.Length)
            k++;
        var generated = Sampler.Generate(model, torch.tensor(ids.Take(k).ToArray(), dtype: torch.int64).unsqueeze(0), ids.Length - k, 0.0, new torch.Generator(1));
        if (tokenizer.Decode(generated[0].data<long>().ToArray()).StartsWith($"{word} {word}"))
            right++;
    }
    Observe("continuations_right", (double)right / words.Length);
}
