// The model's distribution over the token after "1 2 3" with temperature 0.5 and top-k 3:
// at most 3 tokens should have any probability.
var logits = model.forward(prompt)[0, -1];
Show(Sampler.Probabilities(logits, 0.5, 3), "P(next token), temperature 0.5, top-k 3");
