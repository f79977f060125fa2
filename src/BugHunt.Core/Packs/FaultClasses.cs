namespace BugHunt.Core.Packs;

/// <summary>
/// The fault classes a planted bug names, from the taxonomy of real faults in deep-learning
/// systems of Humbatova et al. (ICSE 2020): its five top-level categories and their inner
/// nodes, written `category/node`. Recruiters read them in reports (bugs found by class);
/// candidates never see them.
/// </summary>
public static class FaultClasses
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["model/model-type"] = "Model: model type and properties",
        ["model/layer-properties"] = "Model: layer properties",
        ["model/missing-redundant-wrong-layer"] = "Model: missing, redundant or wrong layer",
        ["model/activation-function"] = "Model: activation function",
        ["tensors-inputs/wrong-tensor-shape"] = "Tensors and inputs: wrong tensor shape",
        ["tensors-inputs/wrong-input"] = "Tensors and inputs: wrong input (type, shape or format)",
        ["training/hyperparameters"] = "Training: hyperparameters",
        ["training/loss-function"] = "Training: loss function",
        ["training/validation-testing"] = "Training: validation and testing",
        ["training/preprocessing"] = "Training: preprocessing of training data",
        ["training/optimiser"] = "Training: optimiser",
        ["training/data-quality"] = "Training: training data quality",
        ["training/process"] = "Training: training process",
        ["gpu-usage"] = "GPU usage",
        ["api"] = "API: wrong use of a library call",
    };

    /// <summary>The top-level category of a class: `training/loss-function` → `training`.</summary>
    public static string Category(string faultClass) => faultClass.Split('/')[0];
}
