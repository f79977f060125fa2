using BugHunt.Core.Sandbox;
using TorchSharp;

namespace BugHunt.Runner;

/// <summary>
/// The globals a probe script sees: it reports what it computed with <c>Observe</c>. Probes never
/// compare; expected values stay on the host. The helpers below are one-liners for the checks
/// machine mutants need: gradients (right value, wrong gradient), sweeps over shapes, axes and
/// configurations in one observation, and wide value ranges.
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

    /// <summary>
    /// Observes several tensors (the cases of a sweep) as one: for each, its rank, its sizes and its
    /// values, so one tensor check covers every case and a shape that differs in any case fails it.
    /// </summary>
    public void ObserveAll(string name, IEnumerable<torch.Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var flat = new List<double>();
        foreach (var value in values)
        {
            using var scope = torch.NewDisposeScope();
            flat.Add(value.shape.Length);
            flat.AddRange(value.shape.Select(s => (double)s));
            flat.AddRange(value.detach().cpu().to(torch.float64).contiguous().reshape(-1).data<double>().ToArray());
            if (flat.Count > MaxElements)
            {
                throw new InvalidOperationException($"Observation '{name}' has more than {MaxElements} values; at most {MaxElements} can be reported.");
            }
        }
        Report(new Observation(name, "tensor", "float64", [flat.Count], [.. flat]));
    }

    /// <summary>
    /// Observes d(sum(w * output))/d(input) for each input, with fixed, non-uniform weights w: a
    /// detached path, a missing scale or a wrong reduction shows as a gradient that differs. An input
    /// the output does not depend on has a zero gradient.
    /// </summary>
    public void ObserveGradients(string name, torch.Tensor output, params torch.Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();
        if (!output.requires_grad)
        {
            // Nothing reaches the inputs: every gradient is zero.
            ObserveAll(name, inputs.Select(input => torch.zeros_like(input)));
            return;
        }
        var weights = torch.sin(torch.arange(1, output.numel() + 1, dtype: torch.float64)).reshape(output.shape).to(output.dtype);
        var grads = torch.autograd.grad([(output * weights).sum()], inputs, retain_graph: true, allow_unused: true);
        ObserveAll(name, inputs.Select((input, i) => Defined(grads[i]) ? grads[i] : torch.zeros_like(input)));
    }

    /// <summary>
    /// Back-propagates <paramref name="loss"/> and observes the gradient of every parameter of the
    /// module, by name order; a parameter that gets no gradient (detached, or not registered in
    /// the graph) counts as zeros.
    /// </summary>
    public void ObserveParameterGradients(string name, torch.nn.Module module, torch.Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(loss);
        foreach (var p in module.parameters())
        {
            p.grad?.zero_();
        }
        loss.backward();
        var parameters = module.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal).ToList();
        ObserveAll(name, parameters.Select(p => p.parameter.grad is { } g && Defined(g) ? g : torch.zeros_like(p.parameter)));
    }

    /// <summary>
    /// A float64 tensor of the given shape whose entries span magnitudes from 1e-2 to 1e4 (signs and
    /// mantissas from the seeded generator), next to the typical range: a clamp or cap that never
    /// triggers on randn inputs triggers here.
    /// </summary>
    public static torch.Tensor WideRange(params long[] shape)
    {
        var values = torch.randn(shape, dtype: torch.float64);
        var exponents = (torch.arange(values.numel(), dtype: torch.float64) % 4 * 2 - 2).reshape(shape);
        return values * torch.pow(10.0, exponents);
    }

    // autograd hands back an empty tensor for an input it did not reach; reading its Handle would throw.
    private static bool Defined(torch.Tensor? t) => t is not null && !t.IsInvalid;

    private void Report(Observation observation)
    {
        if (!_names.Add(observation.Name))
        {
            throw new InvalidOperationException($"Observation '{observation.Name}' was reported twice by one probe.");
        }
        _report(observation);
    }
}
