// Batch independence and the pooling helper, float64, weights injected from the seeded generator.
// A SmallCnn(C 3, H 6, W 4, filters 3, kernel 3, classes 4) on B=5 images:
//  - image 2 replaced by a fresh one: the logits of images 0, 1, 3, 4 before and after;
//  - each image run alone (B=1), against its row of the batch;
//  - for every image i, the largest |d logits[i] / d image j| over j != i.
// MaxPool2x2 against max_pool2d (2x2, stride 2) on a sweep of shapes, typical and wide magnitudes,
// values and gradients.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int B = 5, C = 3, H = 6, W = 4;
    var model = new SmallCnn(C, H, W, 3, 3, 4);
    model.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / 2.0);

    var images = torch.randn(new long[] { B, H, W, C }, dtype: torch.float64);
    var others = torch.tensor(new long[] { 0, 1, 3, 4 }, dtype: torch.int64);
    using (torch.no_grad())
    {
        var y = model.forward(images);
        var changed = images.clone();
        changed[2] = torch.randn(new long[] { H, W, C }, dtype: torch.float64);
        var y2 = model.forward(changed);
        Observe("others_original", y.index_select(0, others));
        Observe("others_after_change", y2.index_select(0, others));
        Observe("batch_logits", y);
        Observe("alone_logits", torch.cat(Enumerable.Range(0, B).Select(i => model.forward(images.narrow(0, i, 1))).ToArray(), 0));
    }

    var xg = images.clone().requires_grad_(true);
    var yg = model.forward(xg);
    double crossGradient = 0.0;
    for (int i = 0; i < B; i++)
    {
        var grad = torch.autograd.grad(new[] { yg[i].sum() }, new[] { xg }, retain_graph: true)[0];
        var mask = torch.ones(B, dtype: torch.float64);
        mask[i] = 0.0;
        crossGradient = Math.Max(crossGradient, (grad.abs().sum(new long[] { 1, 2, 3 }) * mask).max().item<double>());
    }
    Observe("cross_image_gradient", crossGradient);

    var inputs = new List<Tensor>();
    var pooled = new List<Tensor>();
    var expected = new List<Tensor>();
    foreach (var shape in new[] { new long[] { 2, 3, 4, 6 }, new long[] { 1, 2, 8, 2 }, new long[] { 3, 1, 2, 10 } })
    {
        var x = torch.cat(new[] { torch.randn(shape, dtype: torch.float64), WideRange(shape) }, 0).requires_grad_(true);
        inputs.Add(x);
        pooled.Add(SmallCnn.MaxPool2x2(x).reshape(-1));
        expected.Add(nn.functional.max_pool2d(x, new long[] { 2, 2 }, new long[] { 2, 2 }).reshape(-1));
    }
    var pooledAll = torch.cat(pooled.ToArray(), 0);
    var expectedAll = torch.cat(expected.ToArray(), 0);
    Observe("pool", pooledAll.detach());
    Observe("pool_expected", expectedAll.detach());
    ObserveGradients("pool_gradients", pooledAll, inputs.ToArray());
    ObserveGradients("pool_expected_gradients", expectedAll, inputs.ToArray());
    Observe("feature_counts", torch.tensor(new double[] { SmallCnn.FeatureCount(3, 6, 4), SmallCnn.FeatureCount(5, 10, 8), SmallCnn.FeatureCount(1, 2, 14) }, dtype: torch.float64));
}
