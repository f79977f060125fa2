// Which inputs each output depends on: row t is the size of the gradient of output t with
// respect to each input position s. For a causal layer it is zero above the diagonal (s > t).
var dependence = zeros(new long[] { 6, 6 });
for (int t = 0; t < 6; t++)
{
    var input = x.clone().requires_grad_(true);
    layer.forward(input)[0, t].sum().backward();
    dependence[t] = input.grad![0].abs().sum(new long[] { -1 });
}
Heatmap(dependence, "|d output[t] / d input[s]|, row t, column s");
