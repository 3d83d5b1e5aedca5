using System.Net;

namespace Keel.Samples.ImageEmbeddings.Tests.Parts;

public sealed class UrlPolicyTests
{
    private static UrlPolicy CreateSut(params string[] origins) =>
        new(new ServiceOptions { AllowedOrigins = [.. origins.Select(static o => new Uri(o))] });

    [Theory]
    [InlineData("https://images.example.com/cat.png")]
    [InlineData("https://IMAGES.example.com:443/a/b.jpg?size=large")]
    [InlineData("http://127.0.0.1:8081/x.png")]
    [InlineData("https://images.example.com/cat.png#fragment")]
    public void Check_UrlOnAnAllowedOrigin_IsAllowedWithoutItsFragment(string url)
    {
        var problem = CreateSut("https://images.example.com", "http://127.0.0.1:8081").Check(url, out var uri);

        Assert.Null(problem);
        Assert.Empty(uri!.Fragment);
    }

    [Theory]
    [InlineData(null, "url-missing")]
    [InlineData("", "url-missing")]
    [InlineData("cat.png", "url-invalid")]
    [InlineData("//images.example.com/cat.png", "url-invalid")]
    [InlineData("file:///etc/passwd", "url-invalid")]
    [InlineData("ftp://images.example.com/cat.png", "url-scheme")]
    [InlineData("gopher://images.example.com/", "url-scheme")]
    [InlineData("https://user:pass@images.example.com/cat.png", "url-credentials")]
    [InlineData("https://user@images.example.com/cat.png", "url-credentials")]
    [InlineData("http://images.example.com/cat.png", "url-not-allowed")]
    [InlineData("https://images.example.com:8443/cat.png", "url-not-allowed")]
    [InlineData("https://images.example.com.evil.test/cat.png", "url-not-allowed")]
    [InlineData("https://evil.test/images.example.com/cat.png", "url-not-allowed")]
    [InlineData("http://127.0.0.1:8082/x.png", "url-not-allowed")]
    [InlineData("http://localhost:8081/x.png", "url-not-allowed")]
    [InlineData("http://[::1]:8081/x.png", "url-not-allowed")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "url-not-allowed")]
    [InlineData("http://0x7f.0.0.2:8081/x.png", "url-not-allowed")]
    [InlineData("http://2130706434:8081/x.png", "url-not-allowed")]
    public void Check_UrlNotOnTheAllowList_IsRefusedWithItsReason(string? url, string reason)
    {
        var problem = CreateSut("https://images.example.com", "http://127.0.0.1:8081").Check(url, out var uri);

        Assert.Equal(reason, problem?.Reason);
        Assert.Equal(422, problem!.Status);
        Assert.Null(uri);
    }

    [Fact]
    public void Check_Credentials_AreNeverInTheProblem()
    {
        var problem = CreateSut("https://images.example.com").Check("https://admin:hunter2@images.example.com/a.png", out _);

        Assert.DoesNotContain("hunter2", problem!.Detail + problem.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EmptyAllowList_TurnsFetchingOff()
    {
        var policy = CreateSut();

        Assert.False(policy.Enabled);
        Assert.Equal("url-fetch-disabled", policy.Check("https://images.example.com/cat.png", out _)?.Reason);
    }

    [Fact]
    public void Check_UrlLongerThanTheLimit_IsRefused() =>
        Assert.Equal("url-too-long", CreateSut("https://images.example.com").Check("https://images.example.com/" + new string('a', UrlPolicy.MaxUrlLength), out _)?.Reason);

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.255.0.9", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void IsPublic_Address_IsTrueOnlyForPublicUnicast(string address, bool expected) =>
        Assert.Equal(expected, UrlPolicy.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void MayConnect_HostNameResolvingToAPrivateAddress_IsRefusedUnlessPrivateAddressesAreAllowed()
    {
        var strict = CreateSut("https://images.example.com");
        var lenient = new UrlPolicy(new ServiceOptions { AllowedOrigins = [new Uri("https://images.example.com")], AllowPrivateAddresses = true });

        Assert.False(strict.MayConnect("images.example.com", IPAddress.Parse("10.0.0.5")));
        Assert.True(strict.MayConnect("images.example.com", IPAddress.Parse("93.184.216.34")));
        Assert.True(strict.MayConnect("127.0.0.1", IPAddress.Loopback));   // a literal IP that the allow-list names
        Assert.True(lenient.MayConnect("images.example.com", IPAddress.Parse("10.0.0.5")));
    }
}
