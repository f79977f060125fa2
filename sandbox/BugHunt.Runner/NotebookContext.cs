using BugHunt.Core.Sandbox;
using TorchSharp;

namespace BugHunt.Runner;

/// <summary>
/// The globals a notebook cell sees: the run's <see cref="Seed"/> and the display helpers, and
/// nothing else of the runner (the policy allows a cell this type's members only). A display is
/// copied when it is made, so changing or disposing the tensor later does not change it, and it
/// goes out with the cell that made it. Past the run's caps (<see cref="NotebookLimits"/>) what
/// does not fit is dropped and marked truncated: a helper never fails because of a cap.
/// </summary>
public sealed class NotebookContext
{
    private readonly NotebookDisplays _displays;

    internal NotebookContext(long seed, NotebookDisplays displays)
    {
        Seed = seed;
        _displays = displays;
    }

    /// <summary>The seed torch was seeded with before the first cell.</summary>
    public long Seed { get; }

    /// <summary>Appends the point (x, y) to the line series named <paramref name="series"/>.</summary>
    public void Plot(string series, double x, double y) => _displays.Plot(series, x, y);

    /// <summary>Shows a tensor: its shape, dtype and statistics, and its first rows and columns.</summary>
    public void Show(torch.Tensor t, string? label = null) => _displays.Show(t, label);

    /// <summary>Shows a histogram of the tensor's finite values in <paramref name="bins"/> equal bins between their min and max.</summary>
    public void Hist(torch.Tensor t, int bins = 20, string? label = null) => _displays.Hist(t, bins, label);

    /// <summary>Shows a matrix (attention weights, say) as a heatmap; leading axes of size 1 are dropped.</summary>
    public void Heatmap(torch.Tensor t, string? label = null) => _displays.Heatmap(t, label);

    /// <summary>Appends a row to the table <paramref name="name"/>; its first row fixes the columns.</summary>
    public void Table(string name, params (string Column, double Value)[] row) => _displays.Table(name, row);
}

/// <summary>The displays of a notebook run: the caps are the run's, the displays go out per cell.</summary>
internal sealed class NotebookDisplays
{
    // The cell's displays in the order they were first made; a series or table a cell adds to is one entry.
    private readonly List<object> _cell = [];
    private readonly Dictionary<(string Kind, string Name), Appended> _appended = [];
    private readonly HashSet<(string Kind, string Name)> _named = [];
    private readonly Dictionary<string, string[]> _tableColumns = new(StringComparer.Ordinal);
    private int _displays;
    private int _points;
    private bool _truncated;

    /// <summary>The current cell's displays, and whether a cap dropped any; the next cell starts empty.</summary>
    public (IReadOnlyList<NotebookDisplay> Displays, bool Truncated) TakeCell()
    {
        var displays = _cell.Select(d => d is Appended a ? a.ToDisplay() : (NotebookDisplay)d).ToList();
        var truncated = _truncated;
        _cell.Clear();
        _appended.Clear();
        _truncated = false;
        return (displays, truncated);
    }

    public void Plot(string series, double x, double y)
    {
        if (Append(NotebookDisplayKinds.Line, series, 1) is { } line)
        {
            line.X.Add(x);
            line.Values.Add(y);
        }
    }

    public void Table(string name, (string Column, double Value)[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length == 0)
        {
            throw new ArgumentException("a table row needs at least one (column, value) pair", nameof(row));
        }
        var label = Label(name);
        var columns = row.Take(NotebookLimits.MaxColumns).Select(c => Label(c.Column)).ToArray();
        if (_tableColumns.TryGetValue(label, out var fixedColumns) && !fixedColumns.SequenceEqual(columns, StringComparer.Ordinal))
        {
            throw new ArgumentException($"table '{label}' has the columns {string.Join(", ", fixedColumns)}; this row has {string.Join(", ", columns)}", nameof(row));
        }
        if (Append(NotebookDisplayKinds.Table, label, columns.Length) is not { } table)
        {
            return;
        }
        _tableColumns.TryAdd(label, columns);
        table.Columns = columns;
        table.Truncated |= row.Length > columns.Length;
        table.Values.AddRange(row.Take(columns.Length).Select(c => c.Value));
    }

    public void Show(torch.Tensor t, string? label)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (!HasRoom())
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        var x = Float64(t);
        var preview = x;
        while (preview.dim() > 2)
        {
            preview = preview[0];
        }
        preview = preview.dim() switch
        {
            0 => preview,
            1 => preview.narrow(0, 0, Math.Min(preview.shape[0], NotebookLimits.MaxPreview * NotebookLimits.MaxPreview)),
            _ => preview.narrow(0, 0, Math.Min(preview.shape[0], NotebookLimits.MaxPreview)).narrow(1, 0, Math.Min(preview.shape[1], NotebookLimits.MaxPreview)),
        };
        Add(new NotebookDisplay(NotebookDisplayKinds.Tensor, Label(label), Values(preview))
        {
            Shape = t.shape,
            Dtype = Dtype(t),
            ValuesShape = preview.shape,
            Stats = Stats(x),
            Truncated = preview.numel() < x.numel(),
        });
    }

    public void Hist(torch.Tensor t, int bins, string? label)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!HasRoom())
        {
            return;
        }
        var truncated = bins > NotebookLimits.MaxBins;
        bins = Math.Min(bins, NotebookLimits.MaxBins);
        using var scope = torch.NewDisposeScope();
        var x = Float64(t);
        var finite = x.masked_select(x.isfinite());
        double low = 0, high = 1;
        if (finite.numel() > 0)
        {
            low = finite.min().item<double>();
            high = finite.max().item<double>();
        }
        if (high <= low)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }
        var index = ((finite - low) / (high - low) * bins).floor().clamp(0, bins - 1).to(torch.int64);
        var counts = torch.bincount(index, minlength: bins).to(torch.float64);
        var edges = Enumerable.Range(0, bins + 1).Select(k => k == bins ? high : low + (high - low) * k / bins).ToArray();
        Add(new NotebookDisplay(NotebookDisplayKinds.Histogram, Label(label), Values(counts))
        {
            Shape = t.shape,
            Dtype = Dtype(t),
            Edges = edges,
            Stats = Stats(x),
            Truncated = truncated,
        });
    }

    public void Heatmap(torch.Tensor t, string? label)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var scope = torch.NewDisposeScope();
        var x = Float64(t);
        while (x.dim() > 2 && x.shape[0] == 1)
        {
            x = x[0];
        }
        if (x.dim() == 1)
        {
            x = x.unsqueeze(0);
        }
        if (x.dim() != 2)
        {
            throw new ArgumentException($"Heatmap shows a matrix, and this tensor has shape [{string.Join(", ", t.shape)}]: pick one, e.g. w[0, 0]", nameof(t));
        }
        if (!HasRoom())
        {
            return;
        }
        var shown = x.narrow(0, 0, Math.Min(x.shape[0], NotebookLimits.MaxHeatmap)).narrow(1, 0, Math.Min(x.shape[1], NotebookLimits.MaxHeatmap));
        Add(new NotebookDisplay(NotebookDisplayKinds.Heatmap, Label(label), Values(shown))
        {
            Shape = t.shape,
            Dtype = Dtype(t),
            ValuesShape = shown.shape,
            Truncated = shown.numel() < x.numel(),
        });
    }

    /// <summary>The series or table entry of this cell to add <paramref name="points"/> values to, or null when a cap says no.</summary>
    private Appended? Append(string kind, string name, int points)
    {
        var key = (kind, Label(name));
        if (!_appended.TryGetValue(key, out var entry))
        {
            if (!_named.Contains(key) && _named.Count >= NotebookLimits.MaxSeries)
            {
                _truncated = true;
                return null;
            }
            if (!HasRoom())
            {
                return null;
            }
            _named.Add(key);
            _displays++;
            entry = new Appended(kind, key.Item2);
            _appended[key] = entry;
            _cell.Add(entry);
        }
        if (_points + points > NotebookLimits.MaxPoints)
        {
            entry.Truncated = true;
            return null;
        }
        _points += points;
        return entry;
    }

    private bool HasRoom()
    {
        if (_displays < NotebookLimits.MaxDisplays)
        {
            return true;
        }
        _truncated = true;
        return false;
    }

    private void Add(NotebookDisplay display)
    {
        _displays++;
        _cell.Add(display);
    }

    private static string Label(string? text) => NotebookLimits.Cut(text ?? "", NotebookLimits.MaxLabelChars);

    private static string Dtype(torch.Tensor t) => t.dtype.ToString().ToLowerInvariant();

    private static torch.Tensor Float64(torch.Tensor t) => t.detach().cpu().to(torch.float64);

    private static double[] Values(torch.Tensor t) => t.contiguous().reshape(-1).data<double>().ToArray();

    private static TensorStats Stats(torch.Tensor x)
    {
        var finite = x.masked_select(x.isfinite());
        var nan = x.isnan().sum().item<long>();
        var inf = x.isinf().sum().item<long>();
        if (finite.numel() == 0)
        {
            return new TensorStats(double.NaN, double.NaN, double.NaN, double.NaN, nan, inf);
        }
        return new TensorStats(finite.min().item<double>(), finite.max().item<double>(), finite.mean().item<double>(),
            finite.std(unbiased: false).item<double>(), nan, inf);
    }

    /// <summary>A series or table as one cell extends it.</summary>
    private sealed class Appended(string kind, string name)
    {
        public List<double> X { get; } = [];
        public List<double> Values { get; } = [];
        public string[]? Columns { get; set; }
        public bool Truncated { get; set; }

        public NotebookDisplay ToDisplay() => kind == NotebookDisplayKinds.Line
            ? new NotebookDisplay(kind, name, [.. Values]) { X = [.. X], Truncated = Truncated }
            : new NotebookDisplay(kind, name, [.. Values])
            {
                Columns = Columns ?? [],
                ValuesShape = [Columns is { Length: > 0 } c ? Values.Count / c.Length : 0, Columns?.Length ?? 0],
                Truncated = Truncated,
            };
    }
}
