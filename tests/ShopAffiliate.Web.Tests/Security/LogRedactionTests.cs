using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Tests.Security;

/// <summary>Secrets in logged URLs are replaced before any log provider sees them (found by scripts/secret-scan.sh).</summary>
public sealed class LogRedactionTests
{
    [Theory]
    [InlineData("GET http://localhost/woocommerce/connect?store_url=https%3A%2F%2Fs.example&workspace=sa_live_key_123 - 200",
        "GET http://localhost/woocommerce/connect?store_url=https%3A%2F%2Fs.example&workspace=[redacted] - 200")]
    [InlineData("/shopify/callback?code=abc&hmac=0f1e&shop=janes.myshopify.com&state=s1&timestamp=1",
        "/shopify/callback?code=[redacted]&hmac=[redacted]&shop=janes.myshopify.com&state=[redacted]&timestamp=1")]
    [InlineData("/woocommerce/launch?email=a%40b.c&nonce=n0&shop=4&sig=deadbeef&ts=1", "/woocommerce/launch?email=a%40b.c&nonce=[redacted]&shop=4&sig=[redacted]&ts=1")]
    [InlineData("https://shop.example/wp-json/wc/v3/orders?consumer_key=ck_1&consumer_secret=cs_2&page=2",
        "https://shop.example/wp-json/wc/v3/orders?consumer_key=[redacted]&consumer_secret=[redacted]&page=2")]
    [InlineData("/shopify?embedded=1&id_token=eyJhbGciOi.x.y&host=abc", "/shopify?embedded=1&id_token=[redacted]&host=abc")]
    [InlineData("/portal/magic?token=t1", "/portal/magic?token=[redacted]")]
    [InlineData("no query here: shop=janes", "no query here: shop=janes")]
    public void SecretQueryValuesAreReplacedAndOthersKept(string logged, string expected) =>
        Assert.Equal(expected, LogRedaction.Redact(logged));

    [Fact]
    public void TheRequestLogReachesProvidersRedactedInItsMessageAndItsValuesWhileOtherCategoriesAreUntouched()
    {
        var capture = new Capture();
        using var services = new ServiceCollection()
            .AddLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Information))
            .AddLogRedaction()
            .BuildServiceProvider();
        var factory = services.GetRequiredService<ILoggerFactory>();

        factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting {Path}{QueryString}", "/woocommerce/launch", "?sig=abcdef&shop=4");
        factory.CreateLogger("System.Net.Http.HttpClient.woo.LogicalHandler").LogInformation("Start processing HTTP request {Uri}", new Uri("https://s.example/x?consumer_secret=cs_9"));
        factory.CreateLogger("ShopAffiliate.Other").LogInformation("Kept {Query}", "?sig=abcdef");

        Assert.Equal(["Request starting /woocommerce/launch?sig=[redacted]&shop=4", "Start processing HTTP request https://s.example/x?consumer_secret=[redacted]", "Kept ?sig=abcdef"],
            capture.Messages);
        Assert.DoesNotContain(capture.Values, v => v.Contains("abcdef&", StringComparison.Ordinal) || v.Contains("cs_9", StringComparison.Ordinal));
        Assert.Contains("?sig=[redacted]&shop=4", capture.Values);
    }

    private sealed class Capture : ILoggerProvider
    {
        public List<string> Messages { get; } = [];
        public List<string> Values { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Capture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                capture.Messages.Add(formatter(state, exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> pairs && !category.StartsWith("ShopAffiliate", StringComparison.Ordinal))
                    capture.Values.AddRange(pairs.Select(p => p.Value?.ToString() ?? ""));
            }
        }
    }
}
