using System.Text;

namespace BugHunt.Runner;

/// <summary>Thrown into submitted code that prints more than the output limit.</summary>
public sealed class OutputLimitExceededException(long limit)
    : Exception($"Output limit exceeded: submitted code printed more than {limit} characters.");

/// <summary>
/// Collects what submitted code prints: keeps the first <c>keep</c> characters to show (of the
/// whole run, or with <c>keepPerTake</c> of each chunk taken, as a notebook keeps per cell), counts
/// the rest, and past <c>hardLimit</c> characters of the whole run throws into the printing code
/// and flags the run.
/// </summary>
internal sealed class CappedWriter(int keep, long hardLimit, bool keepPerTake = false) : TextWriter
{
    private readonly StringBuilder _text = new();
    private int _taken;
    private long _written;
    private long _writtenAtTake;

    public override Encoding Encoding => Encoding.UTF8;

    public bool Truncated => _written > keep;

    public bool LimitExceeded { get; private set; }

    /// <summary>What was kept since the last call, and whether anything printed since then was cut.</summary>
    public ConsoleChunk TakeNew()
    {
        var text = _text.ToString(_taken, _text.Length - _taken);
        var truncated = _written - _writtenAtTake > text.Length;
        _taken = _text.Length;
        _writtenAtTake = _written;
        if (keepPerTake)
        {
            _text.Clear();
            _taken = 0;
        }
        return new ConsoleChunk(text, truncated);
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }
        _written += value.Length;
        var room = keep - _text.Length;
        if (room > 0)
        {
            _text.Append(value.AsSpan(0, Math.Min(room, value.Length)));
        }
        if (_written > hardLimit)
        {
            LimitExceeded = true;
            throw new OutputLimitExceededException(hardLimit);
        }
    }
}
