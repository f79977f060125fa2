// A prompt that every answer solved (all rewards 1) next to one that was half solved, stored
// contiguously. The solved prompt says nothing about which answer is better: its advantages
// should be exactly 0; the other group's should be +1 and -1.
var easy = Grpo.Advantages(tensor(new double[] { 1, 1, 1, 1, 1, 0, 1, 0 }, dtype: float64),
    tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1 }), 2, 1e-6);
Show(easy, "advantages");
