using Keel.Caching;

namespace Keel.Redis.Tests;

public sealed class RedisCacheKeysTests
{
    private static readonly RedisCacheKeys s_keys = new(TestSupport.Levels.Secret);

    [Theory]
    [InlineData("fraud", "fraud")]
    [InlineData("fraud-v2.onnx_x", "fraud-v2.onnx_x")]
    [InlineData("a:b", "a%3Ab")]
    [InlineData("a%3Ab", "a%253Ab")]
    [InlineData("*?[]{}\\ ", "%2A%3F%5B%5D%7B%7D%5C%20")]
    [InlineData("modèle", "mod%C3%A8le")]
    public void Escape_LeavesSafeCharactersAndEncodesTheRest(string segment, string expected)
    {
        Assert.Equal(expected, RedisCacheKeys.Escape(segment));
    }

    [Fact]
    public void Pattern_ModelOrModelAndVersion_MatchesTheKeyPrefix()
    {
        Assert.Equal("keel:a%3Ab:*", RedisCacheKeys.Pattern("a:b", null));
        Assert.Equal("keel:fraud:3.2.0:*", RedisCacheKeys.Pattern("fraud", "3.2.0"));
    }

    [Fact]
    public void Create_OperationAndInputBoundary_IsUnambiguous()
    {
        // Without a length prefix, ("Score", "Async…") and ("ScoreAsync", "…") would hash the same bytes.
        var first = new DistributedCacheKey("m", "1", "Score", "Async-input"u8.ToArray());
        var second = new DistributedCacheKey("m", "1", "ScoreAsync", "-input"u8.ToArray());

        Assert.NotEqual(s_keys.Create(first), s_keys.Create(second));
    }

    [Fact]
    public void Create_SameKey_IsStable()
    {
        var key = new DistributedCacheKey("m", "1", "op", new byte[] { 1, 2, 3 });

        Assert.Equal(s_keys.Create(key), new RedisCacheKeys(TestSupport.Levels.Secret).Create(key));
    }

    [Fact]
    public void Create_InputLargerThanTheStackBuffer_Works()
    {
        var name = new string('n', 600);
        var key = new DistributedCacheKey(name, "1", "op", new byte[602_112]);

        Assert.StartsWith($"keel:{name}:1:", s_keys.Create(key), StringComparison.Ordinal);
    }
}
