using System.Collections.Concurrent;

namespace BugHunt.Grader.Grading;

/// <summary>
/// Results computed once per key and shared by whoever asks, kept only while they are good. A
/// computation that threw (the database or the engine was away, restarting) or whose result
/// the given test calls a failure is forgotten: kept, it would answer every later job of
/// this process too. The next caller computes again. No one caller's cancellation stops a
/// computation others share; the owner's lifetime, passed to the factory, does.
/// </summary>
internal sealed class SharedResults<TKey, TResult>(Func<TResult, bool> failed, IEqualityComparer<TKey>? keys = null)
    where TKey : notnull
{
    private readonly Func<TResult, bool> _failed = failed;
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> _results = new(keys);

    public async Task<TResult> GetAsync(TKey key, Func<Task<TResult>> compute, CancellationToken ct)
    {
        var lazy = _results.GetOrAdd(key, _ => new Lazy<Task<TResult>>(compute));
        TResult result;
        try
        {
            result = await lazy.Value.WaitAsync(ct);
        }
        catch when (lazy.Value.IsFaulted)
        {
            _results.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
        if (_failed(result))
        {
            _results.TryRemove(KeyValuePair.Create(key, lazy));
        }
        return result;
    }

    /// <summary>Computations under way or done, for an owner that waits for them before its sandbox goes.</summary>
    public IEnumerable<Task> Started => _results.Values.Where(l => l.IsValueCreated).Select(l => (Task)l.Value);
}
