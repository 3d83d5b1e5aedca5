using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Keel.Redis;

/// <summary>
/// Validates <see cref="RedisCacheOptions"/> once, at start-up. Each message names the option, what it must be and what
/// it was; the secret and the configuration string (which may hold a password) are never quoted.
/// </summary>
internal sealed class RedisCacheOptionsValidator : IValidateOptions<RedisCacheOptions>
{
    private readonly bool _connectionSupplied;

    public RedisCacheOptionsValidator()
        : this(connectionSupplied: false)
    {
    }

    /// <param name="connectionSupplied">Whether the container holds the <see cref="IConnectionMultiplexer"/> to use; <see cref="RedisCacheOptions.Configuration"/> may then be empty.</param>
    public RedisCacheOptionsValidator(bool connectionSupplied) => _connectionSupplied = connectionSupplied;

    public ValidateOptionsResult Validate(string? name, RedisCacheOptions options)
    {
        var errors = Validate(options, _connectionSupplied);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Validate(RedisCacheOptions options, bool connectionSupplied = false)
    {
        const string Prefix = RedisCacheDefaults.ConfigurationPath;
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            if (!connectionSupplied)
            {
                errors.Add($"{Prefix}:Configuration must be set to a StackExchange.Redis configuration string such as \"127.0.0.1:6379\", or an IConnectionMultiplexer registered in the container, but was empty.");
            }
        }
        else
        {
            try
            {
                var parsed = ConfigurationOptions.Parse(options.Configuration);
                if (parsed.EndPoints.Count == 0)
                {
                    errors.Add($"{Prefix}:Configuration must name at least one endpoint (host:port), but named none.");
                }
            }
            catch (ArgumentException exception)
            {
                errors.Add($"{Prefix}:Configuration must be a valid StackExchange.Redis configuration string, but it could not be parsed: {exception.Message}");
            }
        }

        var secretBytes = options.KeySecret is null ? 0 : Encoding.UTF8.GetByteCount(options.KeySecret);
        if (string.IsNullOrWhiteSpace(options.KeySecret))
        {
            errors.Add($"{Prefix}:KeySecret must be set (at least {RedisCacheDefaults.MinimumKeySecretBytes} bytes when UTF-8 encoded) when Redis is configured, but was empty.");
        }
        else if (secretBytes < RedisCacheDefaults.MinimumKeySecretBytes)
        {
            errors.Add(Format($"{Prefix}:KeySecret must be at least {RedisCacheDefaults.MinimumKeySecretBytes} bytes when UTF-8 encoded, but was {secretBytes} bytes."));
        }

        CheckTimeout(errors, "OperationTimeout", options.OperationTimeout, RedisCacheDefaults.LongestTimeout);
        CheckTimeout(errors, "ConnectTimeout", options.ConnectTimeout, RedisCacheDefaults.LongestTimeout);
        CheckTimeout(errors, "BreakDuration", options.BreakDuration, RedisCacheDefaults.LongestBreakDuration);

        if (options.MaxPayloadBytes is < 1 or > RedisCacheDefaults.LargestMaxPayloadBytes)
        {
            errors.Add(Format($"{Prefix}:MaxPayloadBytes must be between 1 and {RedisCacheDefaults.LargestMaxPayloadBytes} (512 MiB, the largest string Redis stores), but was {options.MaxPayloadBytes}."));
        }

        return errors;
    }

    private static void CheckTimeout(List<string> errors, string option, TimeSpan value, TimeSpan longest)
    {
        if (value <= TimeSpan.Zero || value > longest)
        {
            errors.Add(Format($"{RedisCacheDefaults.ConfigurationPath}:{option} must be greater than 00:00:00 and at most {longest}, but was {value}."));
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
