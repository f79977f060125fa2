// A learning-rate range test on a fresh model with SGD, 1e-3 to 10 over 60 windows. A healthy curve
// is flat, then falls, then blows up; the suggestion should sit on the falling part, well before the blow-up.
var fresh = new CharLstm(new LstmConfig(VocabSize: tokenizer.VocabSize));
var stream = tokenizer.EncodeDocuments(train.Concat(train).Concat(train));
var windows = Batcher.Windows(stream, 4, 8).Take(60).ToList();
var sgd = optim.SGD(fresh.parameters(), 1e-3);
var result = LrFinder.Run(fresh, sgd, windows, 1e-3, 10.0);
for (int i = 0; i < result.LearningRates.Length; i++)
{
    Plot("loss", Math.Log10(result.LearningRates[i]), result.Losses[i]);
    Plot("smoothed loss", Math.Log10(result.LearningRates[i]), result.Smoothed[i]);
}
Console.WriteLine($"suggested learning rate {result.Suggested:G3}");
