namespace Keel.Tests.TestSupport;

/// <summary>
/// A model whose attempts fail with the given exceptions, in order, and then succeed by returning input + 1.
/// Thread-safe, so concurrent tests can share one.
/// </summary>
internal sealed class FlakyModel
{
    private readonly Func<int, Exception?> _failureForAttempt;
    private int _calls;

    public FlakyModel(params Exception[] failures)
        : this(attempt => attempt <= failures.Length ? failures[attempt - 1] : null)
    {
    }

    public FlakyModel(Func<int, Exception?> failureForAttempt)
    {
        _failureForAttempt = failureForAttempt;
    }

    public static FlakyModel AlwaysFailing(Func<Exception> failure) => new(_ => failure());

    public int Calls => Volatile.Read(ref _calls);

    public int Invoke(int input, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _calls);
        cancellationToken.ThrowIfCancellationRequested();
        if (_failureForAttempt(attempt) is { } failure)
        {
            throw failure;
        }

        return input + 1;
    }

    public ValueTask<int> InvokeAsync(int input, CancellationToken cancellationToken) => new(Invoke(input, cancellationToken));
}
