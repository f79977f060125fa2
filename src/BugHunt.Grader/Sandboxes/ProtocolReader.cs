using System.Text;
using System.Text.Json;
using BugHunt.Core.Sandbox;
using Docker.DotNet;

namespace BugHunt.Grader.Sandboxes;

/// <summary>
/// Splits the container's stdout into protocol lines and keeps the start and end of stderr for
/// staff. Stdout is the runner's private channel: a line that does not parse as a nonce-prefixed
/// event is a protocol violation, recorded with its raw bytes, and the run cannot count. Each
/// event read is also handed to <c>onEvent</c> as it arrives (a notebook streams its cells).
/// </summary>
internal sealed class ProtocolReader(string nonce, int maxBytes, Action<RunnerEvent>? onEvent = null)
{
    private const int KeptStderr = 4096;
    private readonly List<byte> _line = [];
    private readonly StringBuilder _stderrHead = new();
    private readonly StringBuilder _stderrTail = new();
    private long _total;

    public List<RunnerEvent> Events { get; } = [];

    /// <summary>The first line that broke the protocol, escaped, or null.</summary>
    public string? Violation { get; private set; }

    public bool Finished => Events.Any(e => e.Type == RunnerEventTypes.Done);

    public bool Accept(MultiplexedStream.TargetStream target, ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (_total > maxBytes)
        {
            return false;
        }
        if (target == MultiplexedStream.TargetStream.StandardError)
        {
            var text = Encoding.UTF8.GetString(data);
            if (_stderrHead.Length < KeptStderr)
            {
                _stderrHead.Append(text.AsSpan(0, Math.Min(text.Length, KeptStderr - _stderrHead.Length)));
            }
            _stderrTail.Append(text);
            if (_stderrTail.Length > 2 * KeptStderr)
            {
                _stderrTail.Remove(0, _stderrTail.Length - KeptStderr);
            }
            return true;
        }
        foreach (var b in data)
        {
            if (b != (byte)'\n')
            {
                _line.Add(b);
                continue;
            }
            var raw = _line.ToArray();
            _line.Clear();
            if (Violation is not null)
            {
                continue;
            }
            RunnerEvent? e = null;
            try
            {
                e = ProtocolJson.ParseLine(nonce, Encoding.UTF8.GetString(raw));
            }
            catch (JsonException)
            {
            }
            if (e is null)
            {
                Violation = $"a line that is not a protocol event ({raw.Length} bytes): {Escape(raw)}";
            }
            else
            {
                Events.Add(e);
                onEvent?.Invoke(e);
            }
        }
        return true;
    }

    /// <summary>Whatever stdout held after the last newline: after "done" that is a violation too.</summary>
    public string? Unterminated => _line.Count > 0 ? $"an unterminated line ({_line.Count} bytes): {Escape([.. _line])}" : null;

    /// <summary>The runner's stderr as kept for staff: its beginning (the crash report) and its end.</summary>
    public string Stderr()
    {
        var head = _stderrHead.ToString().Trim();
        var tail = _stderrTail.ToString();
        if (tail.Length > KeptStderr)
        {
            tail = tail[^KeptStderr..];
        }
        tail = tail.Trim();
        if (head.Length == 0)
        {
            return "";
        }
        return head.StartsWith(tail, StringComparison.Ordinal) || head.EndsWith(tail, StringComparison.Ordinal) ? "\nstderr:\n" + head : "\nstderr:\n" + head + "\n…\n" + tail;
    }

    private static string Escape(byte[] raw)
    {
        var shown = raw.Length > 512 ? raw[..512] : raw;
        var text = new StringBuilder();
        foreach (var b in shown)
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        }
        return text + (raw.Length > shown.Length ? "…" : "");
    }
}
