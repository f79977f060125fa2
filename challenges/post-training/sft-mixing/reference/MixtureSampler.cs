using System;
using System.Linq;

/// <summary>
/// Draws SFT examples from several data sources in the proportions of the mixture's weights.
/// Each draw picks a source at random by weight, then the next example of that source's current
/// epoch; a source that runs out starts a new epoch in a new order (it cycles), and says so.
/// Everything comes from one seeded generator, so a seed reproduces a run exactly.
/// </summary>
public sealed class MixtureSampler
{
    private readonly int[] _sizes;
    private readonly double[] _cumulative;
    private readonly Random _random;
    private readonly int[][] _orders;
    private readonly int[] _cursors;
    private readonly int[] _epochs;

    public MixtureSampler(int[] sourceSizes, double[] weights, int seed)
    {
        if (sourceSizes.Length == 0 || sourceSizes.Length != weights.Length)
            throw new ArgumentException("give one weight per source, and at least one source");
        double total = 0;
        for (int s = 0; s < weights.Length; s++)
        {
            if (sourceSizes[s] <= 0 || weights[s] < 0 || double.IsNaN(weights[s]))
                throw new ArgumentException($"source {s}: sizes must be positive and weights non-negative");
            total += weights[s];
        }
        if (!(total > 0))
            throw new ArgumentException("at least one weight must be positive");

        _sizes = (int[])sourceSizes.Clone();
        _cumulative = new double[weights.Length];
        double running = 0;
        for (int s = 0; s < weights.Length; s++)
        {
            running += weights[s] / total;
            _cumulative[s] = running;
        }

        _random = new Random(seed);
        _orders = new int[_sizes.Length][];
        _cursors = new int[_sizes.Length];
        _epochs = new int[_sizes.Length];
        for (int s = 0; s < _sizes.Length; s++)
            _orders[s] = Shuffled(_sizes[s]);
    }

    /// <summary>How many times source <paramref name="source"/> has run out and started again.</summary>
    public int Epochs(int source) => _epochs[source];

    /// <summary>The next example: its source and its index within that source.</summary>
    public (int Source, int Index) Next()
    {
        double u = _random.NextDouble();
        int source = 0;
        while (source < _cumulative.Length - 1 && u >= _cumulative[source])
            source++;

        int index = _orders[source][_cursors[source]];
        _cursors[source]++;
        if (_cursors[source] == _sizes[source])
        {
            // the source ran out: a new epoch, in a new order
            _orders[source] = Shuffled(_sizes[source]);
            _cursors[source] = 0;
            _epochs[source]++;
        }
        return (source, index);
    }

    // Fisher-Yates: a uniformly random permutation of 0 .. n - 1.
    private int[] Shuffled(int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
