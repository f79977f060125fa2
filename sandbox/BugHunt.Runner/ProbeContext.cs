using BugHunt.Core.Sandbox;
using TorchSharp;

namespace BugHunt.Runner;

/// <summary>
/// The globals a probe script sees: it reports what it computed with <c>Observe</c>. Probes never
/// compare; expected values stay on the host.
/// </summary>
public sealed class ProbeContext
{
    internal const int MaxElements = 100_000;
    private readonly Action<Observation> _report;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    internal ProbeContext(long seed, Action<Observation> report)
    {
        Seed = seed;
        _report = report;
    }

    public long Seed { get; }

    public void Observe(string name, torch.Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.numel() > MaxElements)
        {
            throw new InvalidOperationException($"Observation '{name}' has {value.numel()} elements; at most {MaxElements} can be reported.");
        }
        using var scope = torch.NewDisposeScope();
        var dtype = value.dtype.ToString().ToLowerInvariant();
        var flat = value.detach().cpu().to(torch.float64).contiguous().reshape(-1);
        Report(new Observation(name, "tensor", dtype, value.shape, flat.data<double>().ToArray()));
    }

    public void Observe(string name, double value) => Report(new Observation(name, "scalar", "float64", [], [value]));

    public void Observe(string name, bool value) => Report(new Observation(name, "bool", "bool", [], [value ? 1 : 0]));

    private void Report(Observation observation)
    {
        if (!_names.Add(observation.Name))
        {
            throw new InvalidOperationException($"Observation '{observation.Name}' was reported twice by one probe.");
        }
        _report(observation);
    }
}
