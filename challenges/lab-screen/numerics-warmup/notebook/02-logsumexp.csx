// log(sum(exp(x))) along each row. For [1, 2, 3] it is about 3.4076; for [1000, 1001, 1002],
// exactly 999 more: about 1002.4076.
Show(Numerics.LogSumExp(logits, 1), "LogSumExp(logits, dim: 1)");
