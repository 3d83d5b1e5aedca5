using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Keel.Retry;

/// <summary>
/// The container's named retry profiles: their options (code defaults, then configuration, validated) and one
/// budget per profile, shared by every pipeline that uses it.
/// </summary>
internal sealed class RetryProfiles(IOptionsMonitor<RetryOptions> options)
{
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);

    public RetryOptions GetOptions(string profile) => options.Get(profile);

    public RetryBudget GetBudget(string profile, RetryBudgetOptions budget) =>
        _budgets.GetOrAdd(profile, static (_, b) => new RetryBudget(b.MaxTokens, b.TokenRatio), budget);
}
