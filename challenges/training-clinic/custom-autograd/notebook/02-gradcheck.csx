// Compare the gradient autograd gives for the layer with central finite differences, in float64,
// on a small input. The two columns should agree to about 1e-8.
var layer = new ParametricSwish(3);
layer.to(float64);
var beta = layer.parameters().First();
using (no_grad())
    beta.copy_(tensor(new double[] { 0.5, 1.0, 2.0 }, dtype: float64));
var x = tensor(new double[] { -1.5, 0.3, 2.0, 0.8, -0.4, 1.1 }, new long[] { 2, 3 }, dtype: float64).requires_grad_(true);
layer.forward(x).sum().backward();
double F(Tensor xv) { using var _ = no_grad(); return layer.forward(xv).sum().item<double>(); }
var numeric = zeros(6, dtype: float64);
for (int i = 0; i < 6; i++)
{
    var plus = x.detach().reshape(-1).clone(); plus[i] += 1e-6;
    var minus = x.detach().reshape(-1).clone(); minus[i] -= 1e-6;
    numeric[i] = (F(plus.reshape(2, 3)) - F(minus.reshape(2, 3))) / 2e-6;
}
Show(stack(new[] { x.grad!.reshape(-1), numeric }, 1), "d sum(y) / dx: autograd | finite differences");
Show(beta.grad!, "d sum(y) / d beta (autograd)");
