using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Keel.Redis;

/// <summary>
/// Options of the Redis level of the result cache: where Redis is, the secret that keys entry names, and how the level
/// fails open when Redis is down or slow. Bound from the <c>Keel:Redis</c> configuration section when <c>AddKeel</c> was
/// given one, and validated when the host starts.
/// </summary>
/// <remarks>
/// Options are validated once at start-up and copied by the level; changing an instance afterwards changes nothing.
/// <see cref="ToString"/> never shows <see cref="KeySecret"/> or <see cref="Configuration"/>, which may hold a password.
/// </remarks>
public sealed class RedisCacheOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis-0:6379,redis-1:6379,password=…,ssl=true</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>; it must be set.</value>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the secret that keys the hash in every entry's name, at least 32 bytes when UTF-8 encoded. Every
    /// replica that shares the cache must use the same secret; changing it orphans the existing entries, which then
    /// expire by their TTL. Keep it out of source control (an environment variable such as
    /// <c>Keel__Redis__KeySecret</c>, or a secret store).
    /// </summary>
    /// <value>The default value is <see langword="null"/>; the host refuses to start without one.</value>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? KeySecret { get; set; }

    /// <summary>
    /// Gets or sets how long a lookup or a store may take before the level gives up, answers
    /// <see cref="Caching.DistributedCacheStatus.Unavailable"/> and lets the call go on to the model.
    /// </summary>
    /// <value>The default value is 50 milliseconds.</value>
    public TimeSpan OperationTimeout { get; set; } = RedisCacheDefaults.OperationTimeout;

    /// <summary>
    /// Gets or sets how long the level skips Redis after a timeout or a connection failure. When it has passed, one
    /// call tries Redis again: if Redis answers, the level is back in use; if not, it skips Redis for another period.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = RedisCacheDefaults.BreakDuration;

    /// <summary>Gets or sets how long one attempt to connect to Redis may take; connecting never blocks a call.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = RedisCacheDefaults.ConnectTimeout;

    /// <summary>Gets or sets the largest serialized result the level stores; larger results stay in memory only.</summary>
    /// <value>The default value is 1 MiB (1,048,576 bytes).</value>
    public int MaxPayloadBytes { get; set; } = RedisCacheDefaults.MaxPayloadBytes;

    /// <summary>
    /// Gets or sets a callback that adjusts the StackExchange.Redis options after <see cref="Configuration"/> is parsed,
    /// for settings a string cannot hold (certificate callbacks, a custom reconnect policy).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>Describes the options without the secret or the configuration string, which may hold a password.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RedisCacheOptions {{ Configuration = {(string.IsNullOrEmpty(Configuration) ? "(empty)" : "(set)")}, KeySecret = {(string.IsNullOrEmpty(KeySecret) ? "(empty)" : "(set)")}, OperationTimeout = {OperationTimeout}, BreakDuration = {BreakDuration}, ConnectTimeout = {ConnectTimeout}, MaxPayloadBytes = {MaxPayloadBytes} }}");
}
