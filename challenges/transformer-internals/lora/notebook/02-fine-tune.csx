// Fine-tune on a small regression task with SGD over the parameters that require a gradient. The
// loss should fall, and the pretrained weight and bias must not move (both changes should be 0).
var target = x.matmul(randn(new long[] { 8, 8 }) * 0.3) + 0.5;
var trainable = layer.parameters().Where(p => p.requires_grad).ToList();
var optimizer = optim.SGD(trainable, 0.05);
for (int step = 0; step < 60; step++)
{
    optimizer.zero_grad();
    var loss = (layer.forward(x) - target).pow(2).mean();
    loss.backward();
    optimizer.step();
    Plot("training loss", step, loss.item<float>());
}
Console.WriteLine($"change of the pretrained weight: {(parameters["base_layer.weight"] - baseWeight).abs().max().item<float>():G4}");
Console.WriteLine($"change of the pretrained bias:   {(parameters["base_layer.bias"] - baseBias).abs().max().item<float>():G4}");
