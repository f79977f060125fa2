using System.Text;

namespace BugHunt.Runner;

/// <summary>Collects what submitted code prints, keeping the first <c>limit</c> characters.</summary>
internal sealed class CappedWriter(int limit) : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public bool Truncated { get; private set; }

    public string Text => _text.ToString();

    private int _taken;

    /// <summary>What was written since the last call.</summary>
    public string TakeNew()
    {
        var text = _text.ToString(_taken, _text.Length - _taken);
        _taken = _text.Length;
        return text;
    }

    public override void Write(char value)
    {
        if (_text.Length < limit)
        {
            _text.Append(value);
        }
        else
        {
            Truncated = true;
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }
        var room = limit - _text.Length;
        if (value.Length > room)
        {
            Truncated = true;
        }
        _text.Append(value.AsSpan(0, Math.Max(0, Math.Min(room, value.Length))));
    }
}
