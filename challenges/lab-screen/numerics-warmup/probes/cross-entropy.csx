// LogSumExp and CrossEntropy.
//  - LogSumExp of moderate values along dim 0, (3, 5) -> (5,), float64;
//  - LogSumExp of large logits (around +-1000) along dim 1, float64;
//  - CrossEntropy on large logits (a confident model, one example confidently wrong), float64,
//    and its gradient with respect to the logits;
//  - CrossEntropy in float32 with confidently wrong examples (target logit ~130 below the best);
//  - CrossEntropy on a second shape (B=5 > C=3), float64, against: the mean of the losses of each
//    example alone, and the mean of -log Numerics.Softmax(logits, 1)[i, target_i];
//  - LogSumExp and CrossEntropy with 40 classes of similar scores (the intent classifier's size),
//    float64: LogSumExp, and the CrossEntropy gradient;
//  - LogSumExp of small values with entries 12 to 45 below the row's max, float64;
//  - the CrossEntropy gradient when a target logit lies so far below the best one (gap 2e308)
//    that the loss itself overflows to inf, float64: the gradient is still softmax - one-hot.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var moderate = torch.randn(new long[] { 3, 5 }, dtype: torch.float64) * 3.0;
    Observe("lse_dim0", Numerics.LogSumExp(moderate, 0));

    var large = torch.tensor(new double[]
    {
        1000, 1001, 1002, 1003, 1004,
        -1000, -1001, -999, -1002, -1003,
        0, 1000, -1000, 3, 2,
    }, dtype: torch.float64).reshape(3, 5);
    Observe("lse_large", Numerics.LogSumExp(large, 1));

    var largeLogits = (large + torch.randn(new long[] { 3, 5 }, dtype: torch.float64)).detach().requires_grad_(true);
    var largeTargets = torch.tensor(new long[] { 4, 2, 3 }, dtype: torch.int64);
    var largeLoss = Numerics.CrossEntropy(largeLogits, largeTargets);
    Observe("ce_large", largeLoss);
    largeLoss.backward();
    Observe("ce_large_grad", largeLogits.grad);

    var confident = torch.tensor(new float[]
    {
        130, 0, 1, -2,
        2, 1, 0, 0.5f,
        -40, 95, 0, 3,
    }, dtype: torch.float32).reshape(3, 4);
    var confidentTargets = torch.tensor(new long[] { 1, 0, 0 }, dtype: torch.int64);
    Observe("ce_confident_mistake_f32", Numerics.CrossEntropy(confident, confidentTargets));

    const int B = 5, C = 3;
    var logits = torch.randn(new long[] { B, C }, dtype: torch.float64) * 1.5;
    var targets = torch.tensor(new long[] { 2, 0, 1, 1, 2 }, dtype: torch.int64);
    var batchLoss = Numerics.CrossEntropy(logits, targets);
    Observe("ce_second_shape", batchLoss);
    Observe("ce_batch", batchLoss);

    var perExample = torch.zeros(new long[] { B }, dtype: torch.float64);
    for (int i = 0; i < B; i++)
        perExample[i] = Numerics.CrossEntropy(logits.narrow(0, i, 1), targets.narrow(0, i, 1));
    Observe("ce_mean_of_examples", perExample.mean());

    var targetProbabilities = Numerics.Softmax(logits, 1).gather(1, targets.unsqueeze(1));
    Observe("ce_minus_log_p", -targetProbabilities.log().mean());

    var manyClasses = (torch.randn(new long[] { 6, 40 }, dtype: torch.float64) * 0.2).requires_grad_(true);
    var manyTargets = torch.randint(0, 40, new long[] { 6 }, dtype: torch.int64);
    Observe("lse_40_classes", Numerics.LogSumExp(manyClasses, 1));

    var spread = torch.tensor(new double[]
    {
        0, -11, -20, -30, 2,
        5, -7, -40, 1, 0,
    }, dtype: torch.float64).reshape(2, 5);
    Observe("lse_spread", Numerics.LogSumExp(spread, 1));
    ObserveGradients("ce_40_classes_grad", Numerics.CrossEntropy(manyClasses, manyTargets), manyClasses);

    var extreme = torch.tensor(new double[]
    {
        1e308, -1e308, 0,
        1, 2, 3,
    }, dtype: torch.float64).reshape(2, 3).requires_grad_(true);
    var extremeTargets = torch.tensor(new long[] { 1, 0 }, dtype: torch.int64);
    ObserveGradients("ce_overflowing_gap_grad", Numerics.CrossEntropy(extreme, extremeTargets), extreme);
}
