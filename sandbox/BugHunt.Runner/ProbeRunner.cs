using System.Diagnostics;
using System.Reflection;
using BugHunt.Core.Sandbox;
using TorchSharp;

namespace BugHunt.Runner;

/// <summary>What submitted code printed since the last probe, and whether some of it was cut.</summary>
internal readonly record struct ConsoleChunk(string Text, bool Truncated);

/// <summary>Runs compiled probes against a compiled submission, one after another, each from its own seed.</summary>
internal static class ProbeRunner
{
    public static void Run(CompiledSubmission submission, IReadOnlyList<CompiledProbe> probes, Func<ConsoleChunk> takeConsole, Action<RunnerEvent> emit)
    {
        var context = submission.Load();
        foreach (var probe in probes)
        {
            emit(new RunnerEvent { Type = RunnerEventTypes.ProbeStarted, Probe = probe.Id });
            var clock = Stopwatch.StartNew();
            var failure = ApiFailure(submission, probe)
                ?? RunOne(context, probe, o => emit(new RunnerEvent { Type = RunnerEventTypes.ObservationMade, Probe = probe.Id, Observation = o }));
            var console = takeConsole();
            emit(new RunnerEvent
            {
                Type = RunnerEventTypes.ProbeFinished,
                Probe = probe.Id,
                Failure = failure,
                ElapsedMs = clock.Elapsed.TotalMilliseconds,
                Console = console.Text,
                ConsoleTruncated = console.Truncated ? true : null,
            });
        }
    }

    private static ProbeFailure? ApiFailure(CompiledSubmission submission, CompiledProbe probe)
    {
        var missing = ProbeCompiler.MissingApi(submission, probe);
        return missing.Count == 0
            ? null
            : new ProbeFailure(ProbeFailure.PublicApiChanged, ProbeFailure.Bound("missing or changed: " + string.Join("; ", missing)), null);
    }

    private static ProbeFailure? RunOne(GradingLoadContext context, CompiledProbe probe, Action<Observation> report)
    {
        var assembly = context.LoadFromStream(new MemoryStream(probe.Image));
        var factory = assembly.GetType(probe.EntryType)?.GetMethod(probe.EntryMethod, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"probe {probe.Id} has no entry point {probe.EntryType}.{probe.EntryMethod}");
        torch.manual_seed(probe.Seed);
        torch.set_num_threads(1);
        torch.set_default_dtype(torch.float32);
        torch.set_grad_enabled(true);
        try
        {
            // A script's factory takes the submission array: the globals first, then one slot per script.
            var task = (Task<object>)factory.Invoke(null, [new object?[] { new ProbeContext(probe.Seed, report), null }])!;
            task.GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e)
        {
            // OutOfMemoryException too: the managed heap limit (from the container's memory limit)
            // was hit inside submitted code, and the host reports it as MemoryLimit.
            return Failure(Unwrap(e), context.Submission);
        }
    }

    internal static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is { } inner)
        {
            e = inner;
        }
        return e;
    }

    /// <summary>
    /// Describes an exception without trusting it: its type and message may be submitted code
    /// (an overridden Message getter runs here), so both are bounded and a throwing getter is survived.
    /// </summary>
    private static ProbeFailure Failure(Exception e, Assembly submission)
    {
        if (e is MissingMemberException or TypeLoadException)
        {
            return new ProbeFailure(ProbeFailure.PublicApiChanged, ProbeFailure.Bound(SafeMessage(e)), null);
        }
        var type = e.GetType();
        var typeName = type.Assembly == submission ? "exception " + type.Name : type.FullName ?? type.Name;
        return new ProbeFailure(ProbeFailure.Bound(typeName), ProbeFailure.Bound(SafeMessage(e)), TrimStack(e, submission));
    }

    internal static string SafeMessage(Exception e)
    {
        try
        {
            return e.Message ?? "";
        }
        catch (Exception)
        {
            return "(the exception's message could not be read)";
        }
    }

    /// <summary>Keeps only the frames of submitted code: the runner's and the probe's frames stay private.</summary>
    private static string? TrimStack(Exception e, Assembly submission)
    {
        try
        {
            var frames = new StackTrace(e, false).GetFrames()
                .Where(f => f.GetMethod()?.Module.Assembly == submission)
                .Take(20)
                .Select(f => "   at " + f.GetMethod()?.DeclaringType?.Name + "." + f.GetMethod()?.Name)
                .ToList();
            return frames.Count == 0 ? null : ProbeFailure.Bound(string.Join("\n", frames));
        }
        catch (Exception)
        {
            return null;
        }
    }
}
