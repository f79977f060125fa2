using System.Collections.Concurrent;
using System.Text;
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
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(90);

    private readonly SandboxContainers _containers;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<StartedContainer> _ready = new();
    private readonly SemaphoreSlim _wanted = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refill;
    private int _failures;

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
            var line = new StringBuilder();
            var buffer = new byte[4096];
            while (true)
            {
                var read = await container.Stream.ReadOutputAsync(buffer, 0, buffer.Length, timeout.Token);
                if (read.EOF)
                {
                    throw new InvalidDataException("the warm runner exited before it was ready: " + line);
                }
                if (read.Target != MultiplexedStream.TargetStream.StandardOut)
                {
                    continue;
                }
                // Native libraries may print before the runner does: wait for the runner's own line.
                line.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
                if (line.ToString().Split('\n').Any(l => l == RunnerEventTypes.WarmLine))
                {
                    return container;
                }
                if (line.Length > 64 * 1024)
                {
                    throw new InvalidDataException("the warm runner printed too much before it was ready");
                }
            }
        }
        catch
        {
            container.Stream.Dispose();
            await _containers.RemoveAsync(container.Id);
            throw;
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
