// Continue the pattern from "1 2 3": a model that learnt it writes 4 5 6 7 8 9 1 2 ...
model.eval();
var generator = new Generator(seed: 7);
var prompt = tensor(new long[] { 1, 2, 3 }, dtype: int64).unsqueeze(0);
var text = Sampler.Generate(model, prompt, maxNewTokens: 12, temperature: 0.8, topK: 3, generator);
Console.WriteLine(string.Join(" ", text[0].data<long>().ToArray()));
