using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Keel.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Caching;

/// <summary>
/// Strings are keyed and stored losslessly: UTF-8 would turn every lone surrogate into U+FFFD, so <c>"\uD800"</c> and
/// <c>"\uFFFD"</c> would share a key and the verified hit would pass. 1,000 random strings per property, drawn to hold
/// lone high and low surrogates, U+FFFD, pairs and plain text.
/// </summary>
public class LosslessStringTests
{
    private static readonly Config Thousand = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    /// <summary>Strings of up to 40 UTF-16 units, a third of them surrogates or U+FFFD, often unpaired.</summary>
    internal static readonly Gen<string> Strings =
        Gen.ArrayOf(Gen.Frequency(
                (4, Gen.Choose('a', 'z').Select(static c => (char)c)),
                (2, Gen.Choose(0, 0xD7FF).Select(static c => (char)c)),
                (2, Gen.Choose(0xD800, 0xDBFF).Select(static c => (char)c)),
                (2, Gen.Choose(0xDC00, 0xDFFF).Select(static c => (char)c)),
                (1, Gen.Constant('\uFFFD'))))
            .Select(static chars => new string(chars[..Math.Min(chars.Length, 40)]));

    /// <summary>A string and another that differs from it only where UTF-8 is lossy: each lone surrogate replaced by U+FFFD or by another lone surrogate.</summary>
    private static readonly Gen<(string A, string B)> NearPairs =
        from a in Strings
        from b in Gen.OneOf(Strings, Gen.Constant(ReplaceLoneSurrogates(a, '\uFFFD')), Gen.Constant(ReplaceLoneSurrogates(a, '\uDFFF')))
        select (a, b);

    [Fact]
    public void Write_DistinctStrings_NeverShareKeyBytesOrHash()
    {
        var descriptor = ValueDescriptor.For<string>()!;

        Check.One(Thousand, Prop.ForAll(NearPairs.ToArbitrary(), pair =>
        {
            var same = CacheKeys.Copy(descriptor, pair.A).AsSpan().SequenceEqual(CacheKeys.Copy(descriptor, pair.B));
            var matches = CacheKeys.Matches(descriptor, pair.A, CacheKeys.Copy(descriptor, pair.B));
            return string.Equals(pair.A, pair.B, StringComparison.Ordinal) == same && same == matches
                && (same || CacheKeys.Hash(descriptor, pair.A) != CacheKeys.Hash(descriptor, pair.B));
        }));
    }

    [Fact]
    public void StringSerializer_RandomStrings_RoundTripExactly()
    {
        var serializer = ResultSerializer.For<string>()!;

        Check.One(Thousand, Prop.ForAll(Strings.ToArbitrary(), value =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            serializer.Serialize(value, buffer);
            return string.Equals(value, serializer.Deserialize(buffer.WrittenSpan), StringComparison.Ordinal);
        }));
    }

    [Fact]
    public async Task ExecuteAsync_LoneSurrogateThenReplacementCharacter_CallsModelForEach()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<string, string>(CacheDecoratorTests.NewModelName(), "1")
            .WithTimeProvider(new FakeTimeProvider())
            .UseCacheResult()
            .Build((text, _) =>
            {
                calls++;
                return "answer to " + text;
            });

        var first = await pipeline.ExecuteAsync("\uD800");
        var second = await pipeline.ExecuteAsync("\uFFFD");

        Assert.Equal((2, "answer to \uD800", "answer to \uFFFD"), (calls, first, second));
    }

    [Fact]
    public void StringSerializer_NotWellFormedUtf8_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ResultSerializer.For<string>()!.Deserialize([3, 0xED, 0xA0, 0x80]));
    }

    private static string ReplaceLoneSurrogates(string value, char replacement)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = replacement;
            }
        }

        return new string(chars);
    }
}
