// Central finite differences of Loss, (L(theta + h) - L(theta - h)) / 2h, next to the hand-written
// gradient, at a point with a non-zero bias. The two rows should agree to about 6 digits.
var wc = tensor(new double[] { 0.5, -0.3 }, dtype: float64);
var bc = tensor(0.8, dtype: float64);
const double h = 1e-6;
var numeric = new double[3];
for (int j = 0; j < 3; j++)
{
    var dwStep = zeros(new long[] { 2 }, dtype: float64);
    double dbStep = 0;
    if (j < 2) dwStep[j] = h; else dbStep = h;
    numeric[j] = (LogisticRegression.Loss(X, labels, wc + dwStep, bc + dbStep).item<double>()
                - LogisticRegression.Loss(X, labels, wc - dwStep, bc - dbStep).item<double>()) / (2 * h);
}
var (hw, hb) = LogisticRegression.Gradient(X, labels, wc, bc);
Show(tensor(numeric), "finite differences (dw0, dw1, db)");
Show(cat(new[] { hw, hb.reshape(1) }, 0), "Gradient (dw0, dw1, db)");
