// Evaluate the model, then train it some more: a training loop is usually interleaved with
// evaluations like this.
Console.WriteLine($"accuracy {Trainer.Evaluate(model, inputs, labels):P0}");
var more = Trainer.Train(model, inputs, labels, config);
Console.WriteLine($"trained {more.Count} more steps; last loss {more[^1]:F3}");
