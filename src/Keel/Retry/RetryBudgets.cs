using System.Collections.Concurrent;

namespace Keel.Retry;

/// <summary>One retry budget per named profile of a container, shared by every pipeline that uses the profile.</summary>
internal sealed class RetryBudgets
{
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.OrdinalIgnoreCase);

    public RetryBudget Get(string profile, RetryBudgetOptions budget) =>
        _budgets.GetOrAdd(profile, static (_, b) => new RetryBudget(b.MaxTokens, b.TokenRatio), budget);
}
