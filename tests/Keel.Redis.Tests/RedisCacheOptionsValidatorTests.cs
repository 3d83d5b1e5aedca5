using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Keel.Redis.Tests;

public sealed class RedisCacheOptionsValidatorTests
{
    private static RedisCacheOptions Valid() => new() { Configuration = "127.0.0.1:6379", KeySecret = Levels.Secret };

    [Fact]
    public void Validate_Defaults_WithConfigurationAndSecret_Succeeds()
    {
        Assert.Empty(RedisCacheOptionsValidator.Validate(Valid()));
    }

    [Fact]
    public void Validate_MissingSecret_RefusesWithThePinnedMessage()
    {
        var options = Valid();
        options.KeySecret = null;

        Assert.Equal(
            ["Keel:Redis:KeySecret must be set (at least 32 bytes when UTF-8 encoded) when Redis is configured, but was empty."],
            RedisCacheOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_ShortSecret_GivesItsLengthButNeverItsValue()
    {
        var options = Valid();
        options.KeySecret = "too-short-secret";

        var error = Assert.Single(RedisCacheOptionsValidator.Validate(options));

        Assert.Equal("Keel:Redis:KeySecret must be at least 32 bytes when UTF-8 encoded, but was 16 bytes.", error);
    }

    [Fact]
    public void Validate_NonPositiveTimeouts_AndPayloadCap_ReportEveryError()
    {
        var options = Valid();
        options.OperationTimeout = TimeSpan.Zero;
        options.BreakDuration = TimeSpan.FromSeconds(-1);
        options.ConnectTimeout = TimeSpan.FromMinutes(2);
        options.MaxPayloadBytes = 0;

        Assert.Equal(
            [
                "Keel:Redis:OperationTimeout must be greater than 00:00:00 and at most 00:01:00, but was 00:00:00.",
                "Keel:Redis:ConnectTimeout must be greater than 00:00:00 and at most 00:01:00, but was 00:02:00.",
                "Keel:Redis:BreakDuration must be greater than 00:00:00 and at most 01:00:00, but was -00:00:01.",
                "Keel:Redis:MaxPayloadBytes must be between 1 and 536870912 (512 MiB, the largest string Redis stores), but was 0.",
            ],
            RedisCacheOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_MissingOrInvalidConfiguration_Refuses()
    {
        var missing = Valid();
        missing.Configuration = " ";
        var invalid = Valid();
        invalid.Configuration = "127.0.0.1:6379,connectTimeout=soon";

        Assert.Equal(
            ["Keel:Redis:Configuration must be set to a StackExchange.Redis configuration string such as \"127.0.0.1:6379\", or an IConnectionMultiplexer registered in the container, but was empty."],
            RedisCacheOptionsValidator.Validate(missing));
        Assert.StartsWith(
            "Keel:Redis:Configuration must be a valid StackExchange.Redis configuration string, but it could not be parsed: ",
            Assert.Single(RedisCacheOptionsValidator.Validate(invalid)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheSecretOrTheConfiguration()
    {
        var options = Valid();
        options.Configuration = "127.0.0.1:6379,password=hunter2-hunter2";

        var text = options.ToString();

        Assert.DoesNotContain(Levels.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("KeySecret = (set)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Level_InvalidOptions_ThrowsOptionsValidationException()
    {
        var options = Valid();
        options.KeySecret = "short";

        var exception = Assert.Throws<OptionsValidationException>(() => new RedisCacheLevel(options, TimeProvider.System, NullLoggerFactory.Instance));

        Assert.Contains("Keel:Redis:KeySecret must be at least 32 bytes", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", exception.Message.Replace("at least", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
