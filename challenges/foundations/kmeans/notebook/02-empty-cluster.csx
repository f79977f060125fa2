// A fourth centroid far from every point, at (30, 30): no point is assigned to it, so the ticket's
// rule says it keeps its place through an update.
var withFar = cat(new[] { centres, tensor(new double[] { 30, 30 }, new long[] { 1, 2 }, dtype: float64) }, 0);
var assignment = KMeans.Assign(X, withFar);
Show(bincount(assignment, minlength: 4), "points per cluster");
Show(KMeans.Update(X, assignment, withFar), "centroids after one update");
