using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Binary logistic regression with a hand-written gradient, trained by plain (full-batch) gradient
/// descent. X is (N, D), labels y are (N,) with values 0 or 1, weights w are (D,), the bias b is a
/// 0-dimensional tensor. The model's probability of label 1 is sigmoid(X w + b).
/// </summary>
public static class LogisticRegression
{
    /// <summary>The logits X w + b, (N,).</summary>
    public static Tensor Logits(Tensor X, Tensor w, Tensor b) => X.matmul(w) + b;

    /// <summary>The probability of label 1 for every example, sigmoid(X w + b), (N,).</summary>
    public static Tensor PredictProba(Tensor X, Tensor w, Tensor b) => torch.sigmoid(Logits(X, w, b));

    /// <summary>
    /// The mean logistic loss (binary cross-entropy) over the N examples, a 0-dimensional tensor:
    /// mean of -[y log p + (1 - y) log(1 - p)], computed from the logits z as softplus(z) - y z so
    /// that it stays finite for confident predictions.
    /// </summary>
    public static Tensor Loss(Tensor X, Tensor y, Tensor w, Tensor b)
    {
        var z = Logits(X, w, b);
        return (nn.functional.softplus(z) - y * z).mean();
    }

    /// <summary>
    /// The gradient of <see cref="Loss"/> with respect to w and b, written out by hand
    /// (no autograd graph is recorded):
    /// dL/dw = Xᵀ (p - y) / N and dL/db = mean(p - y), with p = sigmoid(X w + b).
    /// </summary>
    public static (Tensor dw, Tensor db) Gradient(Tensor X, Tensor y, Tensor w, Tensor b)
    {
        using (torch.no_grad())
        {
            long n = X.shape[0];
            var p = PredictProba(X, w, b);
            var error = p - y;                       // dL/dz for each example, times N
            var dw = X.t().matmul(error) / n;
            var db = error.sum() / n;
            return (dw, db);
        }
    }

    /// <summary>
    /// Plain gradient descent from w = 0, b = 0: <paramref name="steps"/> updates
    /// w -= lr dL/dw, b -= lr dL/db, each with the gradient at the current parameters.
    /// </summary>
    public static (Tensor w, Tensor b) Fit(Tensor X, Tensor y, double lr, int steps)
    {
        using (torch.no_grad())
        {
            var w = torch.zeros(new long[] { X.shape[1] }, dtype: X.dtype);
            var b = torch.zeros(new long[0], dtype: X.dtype);
            for (int step = 0; step < steps; step++)
            {
                var (dw, db) = Gradient(X, y, w, b);
                w = w - lr * dw;
                b = b - lr * db;
            }
            return (w, b);
        }
    }
}
