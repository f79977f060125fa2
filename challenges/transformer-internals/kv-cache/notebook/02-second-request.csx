// Serve a second request with the same session, and the same request with a new session. Requests
// are independent, so the two should give exactly the same logits (difference 0).
var other = tensor(new long[] { 2, 7, 1 }, new long[] { 1, 3 });
var reused = session.Generate(other, 4);
var fresh = new DecodingSession(model).Generate(other, 4);
Console.WriteLine($"largest difference, reused vs fresh session: {(reused - fresh).abs().max().item<float>():G4}");
