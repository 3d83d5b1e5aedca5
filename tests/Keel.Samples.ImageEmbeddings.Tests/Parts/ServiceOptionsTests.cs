using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Keel.Samples.ImageEmbeddings.Tests.Parts;

public sealed class ServiceOptionsTests
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(static v => new KeyValuePair<string, string?>("Embeddings:" + v.Key, v.Value))).Build().GetSection("Embeddings");

    [Fact]
    public void Read_NothingConfigured_GivesTheDefaults()
    {
        var options = ServiceOptions.Read(Section());

        Assert.Equal(8 << 20, options.MaxImageBytes);
        Assert.Equal(2, options.MaxInFlight);
        Assert.Equal(16, options.MaxQueue);
        Assert.Empty(options.AllowedOrigins);
        Assert.False(options.BenchmarkEndpoints);
    }

    [Fact]
    public void Read_Values_AreTaken()
    {
        var options = ServiceOptions.Read(Section(("MaxInFlight", "4"), ("Url:AllowedOrigins:0", "https://images.example.com"), ("Url:AttemptTimeoutSeconds", "2.5")));

        Assert.Equal(4, options.MaxInFlight);
        Assert.Equal(new Uri("https://images.example.com"), Assert.Single(options.AllowedOrigins));
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.AttemptTimeout);
    }

    [Fact]
    public void Read_EveryProblem_IsReportedOnceNamingKeyExpectationAndValue()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => ServiceOptions.Read(Section(
            ("MaxInFlight", "0"),
            ("MaxQeue", "5"),
            ("BenchmarkEndpoints", "yes"),
            ("Url:AllowedOrigins:0", "https://images.example.com/path"),
            ("Url:AllowedOrigins:1", "ftp://images.example.com"))));

        Assert.Equal(
        [
            "Embeddings:MaxQeue is not a setting of the service (a misspelt key?); the settings of Embeddings are MaxImageBytes, MaxImagePixels, MaxImageSide, MaxInFlight, MaxQueue, ShedRetryAfterSeconds, IntraOpThreads, ModelDirectory, BenchmarkEndpoints, Url.",
            "Embeddings:MaxInFlight must be a whole number from 1 to 1024, but was '0'.",
            "Embeddings:BenchmarkEndpoints must be true or false, but was 'yes'.",
            "Embeddings:Url:AllowedOrigins:0 must be an origin such as https://images.example.com or http://127.0.0.1:8081 (http or https, no path, query or credentials), but was 'https://images.example.com/path'.",
            "Embeddings:Url:AllowedOrigins:1 must be an origin such as https://images.example.com or http://127.0.0.1:8081 (http or https, no path, query or credentials), but was 'ftp://images.example.com'.",
        ], exception.Failures);
    }

    [Fact]
    public void Read_NullSection_Throws() => Assert.Throws<ArgumentNullException>(() => ServiceOptions.Read(null!));
}
