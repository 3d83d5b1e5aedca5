namespace Keel.Pipeline;

internal static class InferenceHandlerExtensions
{
    /// <summary>
    /// Invokes <paramref name="handler"/> with a rented context and returns the context to the pool once the call has
    /// completed. A call that completes synchronously allocates nothing; only one that truly awaits pays for the
    /// async continuation.
    /// </summary>
    public static ValueTask<TResult> InvokeAndReturnContextAsync<TInput, TResult>(this InferenceHandler<TInput, TResult> handler, TInput input, InferenceContext context)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = handler.InvokeAsync(input, context);
        }
        catch
        {
            InferenceContextPool.Return(context);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            InferenceContextPool.Return(context);
            return new ValueTask<TResult>(result);
        }

        return AwaitAndReturnContextAsync(pending, context);
    }

    /// <summary>Invokes <paramref name="handler"/> on a synchronous call and returns the context to the pool.</summary>
    public static TResult InvokeBlocking<TInput, TResult>(this InferenceHandler<TInput, TResult> handler, TInput input, InferenceContext context)
    {
        try
        {
            return handler.InvokeAsync(input, context).GetResultBlocking();
        }
        finally
        {
            InferenceContextPool.Return(context);
        }
    }

    private static async ValueTask<TResult> AwaitAndReturnContextAsync<TResult>(ValueTask<TResult> pending, InferenceContext context)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            InferenceContextPool.Return(context);
        }
    }
}
