using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BugHunt.Core.Sandbox;
using TorchSharp;

namespace BugHunt.Runner;

/// <summary>
/// Runs a candidate's notebook after their files compiled: the cells top to bottom in one script
/// state, from the notebook's seed on one thread, each reported as <c>cell_started</c> then
/// <c>cell_finished</c> with its own console, result, displays, timing and failure. The first cell
/// that does not compile, breaks the policy, throws or prints past the output limit ends the run:
/// the cells after it are not started, and the host reports them as skipped.
/// </summary>
internal sealed class NotebookRunner
{
    private readonly GradingLoadContext _context;
    private readonly CellCompiler _compiler;
    private readonly NotebookDisplays _displays = new();
    private readonly HashSet<Assembly> _own = [];
    private readonly object?[] _state;
    private readonly Func<ConsoleChunk> _takeConsole;
    private readonly Func<bool> _outputLimitHit;
    private readonly long _outputLimit;

    private NotebookRunner(CompiledSubmission submission, NotebookSpec notebook, SubmissionRules rules, Func<ConsoleChunk> takeConsole, Func<bool> outputLimitHit, long outputLimit)
    {
        _context = submission.Load();
        _own.Add(_context.Submission);
        _compiler = new CellCompiler(submission, rules);
        // A script's factory takes the submission array: the globals first, then a slot per cell with code.
        _state = new object?[notebook.Cells.Count + 1];
        _state[0] = new NotebookContext(notebook.Seed, _displays);
        _takeConsole = takeConsole;
        _outputLimitHit = outputLimitHit;
        _outputLimit = outputLimit;
    }

    public static void Run(CompiledSubmission submission, NotebookSpec notebook, SubmissionRules rules, Func<ConsoleChunk> takeConsole, Func<bool> outputLimitHit, long outputLimit, Action<RunnerEvent> emit)
    {
        var runner = new NotebookRunner(submission, notebook, rules, takeConsole, outputLimitHit, outputLimit);
        torch.manual_seed(notebook.Seed);
        torch.set_num_threads(1);
        torch.set_default_dtype(torch.float32);
        torch.set_grad_enabled(true);
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            emit(new RunnerEvent { Type = RunnerEventTypes.CellStarted, Cell = i + 1 });
            var finished = runner.RunCell(i + 1, notebook.Cells[i]);
            emit(finished);
            if (finished.Status != CellStatuses.Ok)
            {
                break;
            }
        }
    }

    private RunnerEvent RunCell(int cell, string code)
    {
        var compileClock = Stopwatch.StartNew();
        var (compiled, rejection) = _compiler.Compile(cell, code);
        var compileMs = compileClock.Elapsed.TotalMilliseconds;
        if (rejection is not null)
        {
            return new RunnerEvent
            {
                Type = RunnerEventTypes.CellFinished,
                Cell = cell,
                Status = rejection.Status,
                Diagnostics = rejection.Diagnostics,
                CompileMs = compileMs,
                ElapsedMs = 0,
                Console = "",
                Displays = [],
            };
        }
        var runClock = Stopwatch.StartNew();
        string? value = null;
        ProbeFailure? failure = null;
        if (compiled is not null)
        {
            try
            {
                var assembly = _context.LoadImage(compiled.Image, compiled.Symbols);
                _own.Add(assembly);
                var factory = assembly.GetType(compiled.EntryType)?.GetMethod(compiled.EntryMethod, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    ?? throw new InvalidOperationException($"cell {cell} has no entry point {compiled.EntryType}.{compiled.EntryMethod}");
                var result = ((Task<object>)factory.Invoke(null, [_state])!).GetAwaiter().GetResult();
                value = CellValue.Format(result);
            }
            catch (Exception e)
            {
                failure = Failure(ProbeRunner.Unwrap(e));
            }
        }
        var elapsedMs = runClock.Elapsed.TotalMilliseconds;
        var console = _takeConsole();
        var (displays, displaysTruncated) = _displays.TakeCell();
        var status = CellStatuses.Ok;
        if (_outputLimitHit())
        {
            // Caught by the cell or not, printing past the limit ends the run, as it ends a submission's.
            status = CellStatuses.OutputLimit;
            failure = new ProbeFailure("OutputLimitExceeded", $"the notebook printed more than {_outputLimit} characters; the run stops here", null);
        }
        else if (failure is not null)
        {
            status = CellStatuses.Exception;
        }
        return new RunnerEvent
        {
            Type = RunnerEventTypes.CellFinished,
            Cell = cell,
            Status = status,
            Failure = failure,
            Value = status == CellStatuses.Ok ? value : null,
            CompileMs = compileMs,
            ElapsedMs = elapsedMs,
            Console = console.Text,
            ConsoleTruncated = console.Truncated ? true : null,
            Displays = displays,
            DisplaysTruncated = displaysTruncated ? true : null,
        };
    }

    /// <summary>
    /// The exception as the candidate should see it: its type, its message without libtorch's
    /// native backtrace, and the frames of their own code only (their files and their cells).
    /// The type and message may be the candidate's code, so both are bounded and read safely.
    /// </summary>
    private ProbeFailure Failure(Exception e)
    {
        var type = e.GetType();
        var typeName = _own.Contains(type.Assembly) ? type.Name : type.FullName ?? type.Name;
        var message = ProbeRunner.SafeMessage(e);
        var native = message.IndexOf("\nException raised from ", StringComparison.Ordinal);
        if (native >= 0)
        {
            message = message[..native];
        }
        return new ProbeFailure(
            NotebookLimits.Cut(typeName, NotebookLimits.MaxLabelChars),
            NotebookLimits.Cut(message.TrimEnd(), NotebookLimits.MaxMessageChars),
            Stack(e));
    }

    private string? Stack(Exception e)
    {
        try
        {
            var frames = new StackTrace(e, true).GetFrames()
                .Where(f => f.GetMethod() is { } m && _own.Contains(m.Module.Assembly))
                .Take(20)
                .Select(Frame)
                .ToList();
            return frames.Count == 0 ? null : NotebookLimits.Cut(string.Join("\n", frames), NotebookLimits.MaxStackChars);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>"at cell 2, line 3", "at Loss (cell 1, line 4)" or "at Model.forward (Model.cs:41)".</summary>
    private string Frame(StackFrame frame)
    {
        var method = frame.GetMethod()!;
        var file = frame.GetFileName();
        var line = frame.GetFileLineNumber();
        if (method.Module.Assembly != _context.Submission)
        {
            var where = line > 0 ? $"{file}, line {line}" : "a cell";
            // A cell's own functions are methods of its script class (Submission#n); its statements, lambdas and iterators are generated ones.
            return IsGenerated(method.Name) || IsGenerated(method.DeclaringType?.Name ?? "<>") ? $"at {where}" : $"at {method.Name} ({where})";
        }
        var type = method.DeclaringType;
        while (type is { DeclaringType: not null } && IsGenerated(type.Name))
        {
            type = type.DeclaringType;
        }
        var name = (type is null ? "" : type.Name + ".") + method.Name;
        return line > 0 ? $"at {name} ({file}:{line})" : $"at {name}";
    }

    private static bool IsGenerated(string name) => name.Contains('<', StringComparison.Ordinal);
}

/// <summary>
/// A cell's result as text, bounded to <see cref="NotebookLimits.MaxValueChars"/>: tensors with
/// their shape and (summarised) values, sequences as their first items. The value may be the
/// candidate's object, so its ToString or enumeration throwing is survived, not reported as the
/// runner's failure.
/// </summary>
internal static class CellValue
{
    private const int MaxItems = 100;

    public static string? Format(object? value)
    {
        if (value is null)
        {
            return null;
        }
        try
        {
            return NotebookLimits.Cut(Text(value, nested: false), NotebookLimits.MaxValueChars);
        }
        catch (Exception e)
        {
            return NotebookLimits.Cut($"(the value could not be shown: {e.GetType().Name})", NotebookLimits.MaxValueChars);
        }
    }

    private static string Text(object? value, bool nested) => value switch
    {
        null => "null",
        string s => s,
        torch.Tensor t => $"tensor [{string.Join(", ", t.shape)}] {t.dtype.ToString().ToLowerInvariant()}\n{t.ToString(TensorStringStyle.Numpy)}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items when !nested => Items(items),
        _ => value.ToString() ?? "",
    };

    private static string Items(IEnumerable items)
    {
        var shown = items.Cast<object?>().Take(MaxItems + 1).ToList();
        var text = string.Join(", ", shown.Take(MaxItems).Select(i => Text(i, nested: true)));
        return "[" + text + (shown.Count > MaxItems ? ", …" : "") + "]";
    }
}
