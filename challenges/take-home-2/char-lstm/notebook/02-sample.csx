// Continue documents from their opening: a model that learnt the corpus writes the same colour word
// again, e.g. "gold gold" -> "gold gold gold.". Greedy first, then two draws at temperature 0.7.
foreach (var prompt in new[] { "gold go", "pink pi", "blue" })
{
    var ids = new[] { BpeTokenizer.Bos }.Concat(tokenizer.Encode(prompt)).ToArray();
    var input = tensor(ids, dtype: int64).unsqueeze(0);
    var greedy = Sampler.Generate(model, input, 8, 0.0, new Generator(1));
    var drawn = Sampler.Generate(model, input.expand(2, -1).contiguous(), 8, 0.7, new Generator(2));
    Console.WriteLine($"'{prompt}' -> greedy '{tokenizer.Decode(greedy[0].data<long>().ToArray())}', " +
        $"sampled '{tokenizer.Decode(drawn[0].data<long>().ToArray())}' / '{tokenizer.Decode(drawn[1].data<long>().ToArray())}'");
}
