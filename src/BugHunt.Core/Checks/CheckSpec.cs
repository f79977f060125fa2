namespace BugHunt.Core.Checks;

public enum CheckKind
{
    /// <summary>An observation must match the reference run's observation of the same name.</summary>
    Tensor,
    /// <summary>Two observations of the same run must match (metamorphic and property tests).</summary>
    Equal,
    /// <summary>A scalar observation must be below and/or above a bound.</summary>
    Threshold,
    /// <summary>A boolean observation must be true.</summary>
    Bool,
}

/// <summary>
/// How a test decides. Tolerances follow numpy's allclose: |actual - expected| &lt;= atol + rtol * |expected|.
/// NaN never matches unless <see cref="NanEqual"/> is set, and then only NaN at the same index.
/// </summary>
public sealed record CheckSpec(
    CheckKind Kind,
    string? Observation = null,
    string? Left = null,
    string? Right = null,
    double Rtol = 1e-6,
    double Atol = 1e-8,
    double? Below = null,
    double? Above = null,
    bool NanEqual = false);
