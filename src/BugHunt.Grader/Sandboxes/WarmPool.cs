using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BugHunt.Core.Packs;
using BugHunt.Core.Sandbox;
using Docker.DotNet;

namespace BugHunt.Grader.Sandboxes;

/// <summary>
/// Pre-started single-use containers whose runner has already loaded Roslyn and TorchSharp and
/// compiled a warm-up. A container takes exactly one job and is removed after it; the pool refills
/// in the background. When the pool is empty, or a job needs other limits, grading starts cold.
/// </summary>
public sealed class WarmPool : IDisposable
{
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(180);

    private readonly SandboxContainers _containers;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<StartedContainer> _ready = new();
    private readonly SemaphoreSlim _wanted = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refill;
    private int _failures;
    private SandboxJob? _primer;

    internal WarmPool(SandboxContainers containers, int size, int memoryMb, TimeProvider clock)
    {
        _containers = containers;
        _clock = clock;
        Size = size;
        MemoryMb = memoryMb;
        _wanted.Release(size);
        _refill = Task.Run(RefillAsync);
    }

    public int Size { get; }

    /// <summary>The memory limit pooled containers are created with; the time limit is applied per job.</summary>
    public int MemoryMb { get; }

    public int ReadyCount => _ready.Count;

    /// <summary>
    /// The job containers started from now on run before their real one (see
    /// <see cref="Core.Grading.GradingPlan.Primer"/>): the grader sets the primer of the challenge it
    /// graded last, so the next container of the pool is warm for exactly that challenge.
    /// </summary>
    public void PrimeWith(SandboxJob? primer) => Volatile.Write(ref _primer, primer);

    /// <summary>Waits until the pool is full (for benchmarks and tests); false on timeout.</summary>
    public async Task<bool> WaitUntilFullAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _clock.GetUtcNow() + timeout;
        while (_ready.Count < Size)
        {
            if (_clock.GetUtcNow() > deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), _clock, ct);
        }
        return true;
    }

    internal StartedContainer? TryTake(SandboxLimits limits)
    {
        if (limits.MemoryMb != MemoryMb || !_ready.TryDequeue(out var container))
        {
            return null;
        }
        _wanted.Release();
        return container;
    }

    private async Task RefillAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _wanted.WaitAsync(ct);
                _ready.Enqueue(await StartWarmAsync(ct));
                _failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException or InvalidDataException)
            {
                // Docker is down or the image is broken: keep trying, slower each time; grading
                // meanwhile starts containers cold (and reports a SandboxError if that fails too).
                _wanted.Release();
                _failures++;
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, _failures))), ct);
            }
        }
    }

    private async Task<StartedContainer> StartWarmAsync(CancellationToken ct)
    {
        var container = await _containers.StartAsync(new SandboxLimits(0, MemoryMb), warm: true, ct);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(WarmUpTimeout);
            var output = new StringBuilder();
            await ReadUntilLineAsync(container, RunnerEventTypes.WarmLine, output, timeout.Token);
            // The primer is one line of JSON (the serializer escapes every newline in it).
            var primer = Volatile.Read(ref _primer);
            var line = Encoding.UTF8.GetBytes((primer is null ? "" : JsonSerializer.Serialize(primer, ProtocolJson.Options)) + "\n");
            await container.Stream.WriteAsync(line, 0, line.Length, timeout.Token);
            await ReadUntilLineAsync(container, RunnerEventTypes.PrimedLine, output, timeout.Token);
            return container;
        }
        catch
        {
            container.Stream.Dispose();
            await _containers.RemoveAsync(container.Id);
            throw;
        }
    }

    /// <summary>Reads the runner's stdout until a line that is exactly <paramref name="expected"/> (native libraries may print before the runner does).</summary>
    private static async Task ReadUntilLineAsync(StartedContainer container, string expected, StringBuilder output, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (!output.ToString().Split('\n').Any(l => l == expected))
        {
            var read = await container.Stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
            {
                throw new InvalidDataException("the warm runner exited before it was ready: " + output);
            }
            if (read.Target == MultiplexedStream.TargetStream.StandardOut)
            {
                output.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
            if (output.Length > 64 * 1024)
            {
                throw new InvalidDataException("the warm runner printed too much before it was ready");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _refill.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        while (_ready.TryDequeue(out var container))
        {
            container.Stream.Dispose();
            _containers.RemoveAsync(container.Id).GetAwaiter().GetResult();
        }
        _stop.Dispose();
        _wanted.Dispose();
    }
}
