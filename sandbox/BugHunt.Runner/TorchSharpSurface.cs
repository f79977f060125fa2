using Microsoft.CodeAnalysis;

namespace BugHunt.Runner;

/// <summary>
/// The part of TorchSharp a submission may use: tensors, <c>nn</c> modules and functional ops,
/// <c>optim</c> and its schedulers, autograd, distributions, generators. It is an allow-list of
/// types, checked on the symbol's real containing type in the TorchSharp assembly, plus members
/// of those types that are refused by name because they touch files, threads, native loading or
/// entropy. Everything else (TorchScript, tensorboard, data loaders, the hub, CUDA and backend
/// switches, raw storage) is refused.
/// </summary>
internal static partial class TorchSharpSurface
{
    public const string AssemblyName = "TorchSharp";

    // Nested types of TorchSharp.torch, by their path below it; "nn" allows torch.nn and all it nests.
    private static readonly string[] AllowedTorchTrees = ["nn", "optim", "autograd", "linalg", "special", "fft", "distributions"];

    private static readonly HashSet<string> AllowedTorchTypes = new(StringComparer.Ordinal)
    {
        "", "Tensor", "TensorIndex", "Size", "ScalarType", "Device", "Generator", "FInfo", "RoundingMode",
        "UpsampleMode", "InterpolationMode", "GridSampleMode", "GridSamplePaddingMode", "LobpcgMethod", "random",
    };

    private static readonly HashSet<string> AllowedTopLevelTypes = new(StringComparer.Ordinal)
    {
        "TorchSharp.DisposeScope", "TorchSharp.DisposeScopeManager", "TorchSharp.ThreadDisposeScopeStatistics",
        "TorchSharp.LifetimeStatistics", "TorchSharp.Scalar", "TorchSharp.ScalarExtensionMethods",
        "TorchSharp.TensorExtensionMethods", "TorchSharp.ModuleExtensionMethods", "TorchSharp.BFloat16",
        "TorchSharp.Loss`3", "TorchSharp.Loss`4", "TorchSharp.Loss`5", "TorchSharp.WeightedLoss`3",
        "TorchSharp.WeightedLoss`4", "TorchSharp.WeightedLoss`5", "TorchSharp.indexing", "TorchSharp.layout",
        "TorchSharp.memory_format", "TorchSharp.Reduce", "TorchSharp.PaddingModes", "TorchSharp.Padding",
        "TorchSharp.EmbeddingBagMode", "TorchSharp.FFTNormType", "TorchSharp.compute_mode",
        "TorchSharp.TensorStringStyle", "TorchSharp.DeviceType", "TorchSharp.Float32MatmulPrecision",
        "TorchSharp.HistogramBinSelector", "TorchSharp.Utils.TensorAccessor`1", "TorchSharp.Utils.OrderedDict`2",
        "TorchSharp.Utils.ComponentNameAttribute",
    };

    // TorchSharp.Modules holds the module, loss, optimizer and distribution classes; these are not.
    private static readonly HashSet<string> DeniedModules = new(StringComparer.Ordinal)
    {
        "DataLoader", "DataLoader`2", "IterableDataLoader", "SummaryWriter", "TensorDataset",
    };

    private static readonly (string Name, string Why)[] DeniedMembers =
    [
        ("save", "writes files"), ("Save", "writes files"), ("load", "reads files"), ("Load", "reads files"),
        ("from_file", "reads files"), ("to_file", "writes files"), ("Create", "reads a module from a file"),
        ("ReadBytesFromStream", "reads streams"), ("WriteBytesToStream", "writes streams"),
        ("share_memory_", "maps shared memory"), ("set_num_threads", "changes the thread pool"),
        ("set_num_interop_threads", "changes the thread pool"), ("seed", "draws an unseeded seed (nondeterministic)"),
        ("initial_seed", "reads the grader's seed"), ("data_ptr", "exposes native memory"), ("storage", "exposes native memory"),
        ("untyped_storage", "exposes native memory"), ("InitializeDeviceType", "loads native libraries"),
        ("TryInitializeDeviceType", "loads native libraries"), ("InitializeDevice", "loads native libraries"),
        ("DecoupleFromNativeHandle", "exposes native memory"), ("pin_memory", "exposes native memory"),
        // Uninitialised memory holds whatever was there before: a result that reads it is nondeterministic.
        ("empty", Uninitialised), ("empty_like", Uninitialised), ("empty_strided", Uninitialised), ("new_empty", Uninitialised),
    ];

    private const string Uninitialised = "returns uninitialised memory, so results could differ from run to run: use torch.zeros, ones or full";

    public static bool IsTorchSharp(ISymbol symbol) => symbol.ContainingAssembly?.Name == AssemblyName;

    /// <summary>Whether a TorchSharp type (a definition, possibly nested) is on the allow-list.</summary>
    public static bool IsAllowedType(INamedTypeSymbol type)
    {
        var path = new List<string>();
        var outermost = type;
        for (; outermost.ContainingType is not null; outermost = outermost.ContainingType)
        {
            path.Insert(0, outermost.MetadataName);
        }
        var top = outermost.ContainingNamespace.ToDisplayString() + "." + outermost.MetadataName;
        if (top == "TorchSharp.torch")
        {
            var nested = string.Join("+", path);
            return AllowedTorchTypes.Contains(nested) || (path.Count > 0 && AllowedTorchTrees.Contains(path[0]));
        }
        if (outermost.ContainingNamespace.ToDisplayString() == "TorchSharp.Modules")
        {
            return !DeniedModules.Contains(outermost.MetadataName);
        }
        return AllowedTopLevelTypes.Contains(top);
    }

    /// <summary>Why a member of an allowed TorchSharp type is refused, or null.</summary>
    public static string? DeniedMember(ISymbol member)
    {
        foreach (var (name, why) in DeniedMembers)
        {
            if (member.Name == name)
            {
                return why;
            }
        }
        // Any overload that takes a file name or URL (optimizer state dicts, module weights, ...),
        // whatever the method is called: TorchSharp opens it natively, past the file policy.
        if (member is IMethodSymbol method && method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String
            && PathParameter().IsMatch(p.Name)))
        {
            return "takes a file path or URL";
        }
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("location|path|file|dir|folder|url|uri|dst|src", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex PathParameter();
}
