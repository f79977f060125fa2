using System.Diagnostics;
using BugHunt.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;
using TorchSharp;

namespace BugHunt.Runner;

/// <summary>Runs probe scripts against a compiled submission, one after another, each from the same seed.</summary>
internal static class ProbeRunner
{
    public static void Run(CompiledSubmission submission, IReadOnlyList<ProbeSource> probes, long seed, Func<string> takeConsole, Action<RunnerEvent> emit)
    {
        using var loader = new InteractiveAssemblyLoader();
        loader.RegisterDependency(submission.Assembly);
        var options = ScriptOptions.Default
            .WithReferences(SubmissionCompiler.FrameworkReferences.Add(submission.Reference))
            .WithImports("System", "System.Linq", "System.Collections.Generic", "TorchSharp")
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(false);

        foreach (var probe in probes)
        {
            emit(new RunnerEvent { Type = RunnerEventTypes.ProbeStarted, Probe = probe.Id });
            var clock = Stopwatch.StartNew();
            var failure = RunOne(probe, options, loader, seed, o => emit(new RunnerEvent { Type = RunnerEventTypes.ObservationMade, Probe = probe.Id, Observation = o }), submission);
            emit(new RunnerEvent { Type = RunnerEventTypes.ProbeFinished, Probe = probe.Id, Failure = failure, ElapsedMs = clock.Elapsed.TotalMilliseconds, Console = takeConsole() });
        }
    }

    private static ProbeFailure? RunOne(ProbeSource probe, ScriptOptions options, InteractiveAssemblyLoader loader, long seed, Action<Observation> report, CompiledSubmission submission)
    {
        var script = CSharpScript.Create(probe.Code, options, typeof(ProbeContext), loader);
        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            // The probe is the challenge's code; failing to compile means the submission changed
            // the public API the probe relies on.
            return new ProbeFailure("ProbeCompileError", string.Join("\n", errors.Take(5).Select(e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture))), null);
        }
        torch.manual_seed(seed);
        torch.set_num_threads(1);
        torch.set_default_dtype(torch.float32);
        torch.set_grad_enabled(true);
        try
        {
            script.RunAsync(new ProbeContext(seed, report)).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e)
        {
            // OutOfMemoryException too: the managed heap limit (from the container's memory limit)
            // was hit inside submitted code, and the host reports it as MemoryLimit.
            var inner = e is System.Reflection.TargetInvocationException { InnerException: { } wrapped } ? wrapped : e;
            var message = inner.Message.Length > 2000 ? inner.Message[..2000] + "…" : inner.Message;
            return new ProbeFailure(inner.GetType().FullName ?? inner.GetType().Name, message, TrimStack(inner, submission));
        }
    }

    /// <summary>Keeps only the frames of submitted code: the runner's and the probe's frames stay private.</summary>
    private static string? TrimStack(Exception e, CompiledSubmission submission)
    {
        var frames = new StackTrace(e, true).GetFrames()
            .Where(f => f.GetMethod()?.Module.Assembly == submission.Assembly)
            .Select(f => "   at " + f.GetMethod()?.DeclaringType?.Name + "." + f.GetMethod()?.Name)
            .ToList();
        return frames.Count == 0 ? null : string.Join("\n", frames);
    }
}
