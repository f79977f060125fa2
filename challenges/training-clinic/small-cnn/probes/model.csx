// SmallCnn over a sweep of configurations, float64, weights injected from the seeded generator by
// name. Each case is (B, C, H, W, filters, kernel, classes): (3, 3, 6, 10, 4, 3, 5), (1, 2, 8, 4, 5, 5, 3),
// (5, 1, 4, 6, 3, 3, 7), (4, 3, 10, 8, 2, 1, 4), and (2, 3, 6, 4, 3, 3, 2) with images of magnitudes
// 1e-2 to 1e4. Observed over the sweep:
//  - the logits and the pooled feature maps;
//  - the stated computation rebuilt from the model's own weights with library calls (permute,
//    conv2d with zero padding kernel / 2, relu, max_pool2d 2x2 stride 2, reshape(B, -1), linear);
//  - the gradients of a weighted sum of the logits w.r.t. every parameter and the images.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var logits = new List<Tensor>();
    var features = new List<Tensor>();
    var expectedLogits = new List<Tensor>();
    var expectedFeatures = new List<Tensor>();
    var parameterGradients = new List<Tensor>();
    var imageGradients = new List<Tensor>();
    foreach (var (b, c, h, w, f, k, classes, wide) in new (int, int, int, int, int, int, int, bool)[]
    {
        (3, 3, 6, 10, 4, 3, 5, false), (1, 2, 8, 4, 5, 5, 3, false), (5, 1, 4, 6, 3, 3, 7, false),
        (4, 3, 10, 8, 2, 1, 4, false), (2, 3, 6, 4, 3, 3, 2, true),
    })
    {
        var model = new SmallCnn(c, h, w, f, k, classes);
        model.to(torch.float64);
        var parameters = model.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList();
        using (torch.no_grad())
            foreach (var (name, p) in parameters)
                p.copy_(torch.randn(p.shape, dtype: torch.float64) / 2.0);
        var byName = parameters.ToDictionary(np => np.name, np => np.parameter);

        var images = (wide ? WideRange(b, h, w, c) : torch.randn(new long[] { b, h, w, c }, dtype: torch.float64)).requires_grad_(true);
        var y = model.forward(images);
        logits.Add(y.detach());
        using (torch.no_grad())
        {
            features.Add(model.Features(images));
            var conv = nn.functional.conv2d(images.permute(0, 3, 1, 2), byName["conv.weight"], byName["conv.bias"],
                new long[] { 1, 1 }, new long[] { k / 2, k / 2 });
            var pooled = nn.functional.max_pool2d(nn.functional.relu(conv), new long[] { 2, 2 }, new long[] { 2, 2 });
            expectedFeatures.Add(pooled);
            expectedLogits.Add(nn.functional.linear(pooled.reshape(b, -1), byName["fc.weight"], byName["fc.bias"]));
        }
        var objective = (y * torch.randn(y.shape, dtype: torch.float64)).sum();
        objective.backward();
        foreach (var (name, p) in parameters)
            parameterGradients.Add(p.grad is { } g ? g.clone() : torch.zeros_like(p));
        imageGradients.Add(images.grad is { } ig ? ig.clone() : torch.zeros_like(images));
    }
    ObserveAll("logits", logits);
    ObserveAll("features", features);
    ObserveAll("expected_logits", expectedLogits);
    ObserveAll("expected_features", expectedFeatures);
    ObserveAll("parameter_gradients", parameterGradients);
    ObserveAll("image_gradients", imageGradients);
}
