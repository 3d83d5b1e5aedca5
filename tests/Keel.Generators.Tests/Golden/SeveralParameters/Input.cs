using System.ComponentModel.DataAnnotations;
using Keel;

namespace Pricing;

public enum Currency
{
    Eur,
    Usd,
}

public sealed record Basket(
    [property: Required, StringLength(20)] string Customer,
    [property: Range(0, 10_000)] double Total,
    Currency Currency,
    int? Items);

// Several parameters form one input: one cache key over all of them, validation per parameter.
[InferenceModel("pricing", "1.4.0")]
public sealed partial class PricingModel
{
    [Monitor, CacheResult(MaxEntries = 1000)]
    public partial ValueTask<decimal> QuoteAsync(Basket basket, [NotEmpty, Finite] float[] signals, Currency currency, CancellationToken cancellationToken);

    private ValueTask<decimal> QuoteCoreAsync(Basket basket, float[] signals, Currency currency, CancellationToken cancellationToken) =>
        new((decimal)basket.Total);
}
