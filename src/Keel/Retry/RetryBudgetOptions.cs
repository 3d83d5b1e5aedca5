namespace Keel.Retry;

/// <summary>
/// A retry budget in the manner of gRPC's retry throttling (gRFC A6): a token count starts at
/// <see cref="MaxTokens"/>; every failed attempt that could be retried costs one token and every successful attempt
/// refunds <see cref="TokenRatio"/>; retries stop while the count is at or below half of <see cref="MaxTokens"/>.
/// An outage therefore costs a bounded number of retries instead of multiplying the load by <c>MaxAttempts</c>.
/// </summary>
/// <remarks>
/// Every pipeline that uses the same named profile shares one budget. A pipeline built with options in code has a
/// budget of its own.
/// </remarks>
public sealed class RetryBudgetOptions
{
    /// <summary>Gets or sets a value indicating whether the budget is applied.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the number of tokens the budget starts with and can hold.</summary>
    /// <value>The default value is 10: after about five failures more than successes refund, retries pause.</value>
    public double MaxTokens { get; set; } = RetryDefaults.BudgetMaxTokens;

    /// <summary>Gets or sets the tokens a successful attempt refunds.</summary>
    /// <value>The default value is 0.1: retries keep flowing while fewer than about one attempt in eleven fails.</value>
    public double TokenRatio { get; set; } = RetryDefaults.BudgetTokenRatio;
}
