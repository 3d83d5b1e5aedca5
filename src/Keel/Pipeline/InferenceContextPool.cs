namespace Keel.Pipeline;

/// <summary>
/// A small lock-free pool of <see cref="InferenceContext"/> instances, so that a call allocates no context once the
/// pool is warm. A context per thread serves the common case (a call that completes on the thread it started on)
/// without any interlocked operation; behind it, a shared pool shaped like Microsoft.Extensions.ObjectPool's
/// <c>DefaultObjectPool</c> (one fast slot, then an array scanned with compare-and-swap) serves calls that hop
/// threads. A context that finds the pool full is dropped for the GC.
/// </summary>
internal static class InferenceContextPool
{
    private static readonly InferenceContext?[] s_items = new InferenceContext?[Math.Max(8, Environment.ProcessorCount * 4)];
    private static InferenceContext? s_fast;

    [ThreadStatic]
    private static InferenceContext? s_threadCached;

    public static InferenceContext Rent(PipelineIdentity identity, object? state, CancellationToken cancellationToken, bool isSynchronous)
    {
        var context = Take() ?? new InferenceContext();
        context.Initialize(identity, state, cancellationToken, isSynchronous);
        return context;
    }

    /// <summary>Rents a context that records on <paramref name="parent"/>'s call, with another token.</summary>
    public static InferenceContext RentChild(InferenceContext parent, CancellationToken cancellationToken)
    {
        var context = Take() ?? new InferenceContext();
        context.InitializeChild(parent, cancellationToken);
        return context;
    }

    public static void Return(InferenceContext context)
    {
        context.Reset();
        if (s_threadCached is null)
        {
            s_threadCached = context;
            return;
        }

        if (s_fast is null && Interlocked.CompareExchange(ref s_fast, context, null) is null)
        {
            return;
        }

        var items = s_items;
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is null && Interlocked.CompareExchange(ref items[i], context, null) is null)
            {
                return;
            }
        }
    }

    private static InferenceContext? Take()
    {
        var item = s_threadCached;
        if (item is not null)
        {
            s_threadCached = null;
            return item;
        }

        item = s_fast;
        if (item is not null && Interlocked.CompareExchange(ref s_fast, null, item) == item)
        {
            return item;
        }

        var items = s_items;
        for (var i = 0; i < items.Length; i++)
        {
            item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }

        return null;
    }
}
