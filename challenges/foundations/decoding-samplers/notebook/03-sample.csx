// 2000 seeded draws from row 0 with top-p 0.8. Only tokens 2, 3 and 4 should ever come out,
// in proportions near 0.47, 0.18 and 0.35.
var generator = new Generator(1234UL);
var draws = Decoding.Sample(known.narrow(0, 0, 1).expand(2000, 5), 1.0, 0, 0.8, generator);
Hist(draws.to(float64), 5, "sampled token ids");
Show(bincount(draws, minlength: 5), "draws per token id");
