namespace Keel.Pipeline;

internal static class ValueTaskExtensions
{
    /// <summary>
    /// Returns the result of a value task from a synchronous entry point. On a synchronous call every decorator
    /// completes before it returns, so this only blocks when the model delegate itself is asynchronous.
    /// </summary>
    public static TResult GetResultBlocking<TResult>(this ValueTask<TResult> task) =>
        task.IsCompleted ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
