using System.Net;
using System.Text;
using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifyRetryHandlerTests
{
    private readonly List<TimeSpan> _delays = [];
    private readonly List<string?> _bodies = [];

    private HttpClient Client(params Func<HttpResponseMessage>[] answers)
    {
        var queue = new Queue<Func<HttpResponseMessage>>(answers);
        var inner = new StubHandler(async request =>
        {
            _bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync());
            return queue.Dequeue()();
        });
        var handler = new ShopifyRetryHandler((delay, _) =>
        {
            _delays.Add(delay);
            return Task.CompletedTask;
        })
        { InnerHandler = inner };
        return new HttpClient(handler) { BaseAddress = new Uri("https://janes-shop.myshopify.com/") };
    }

    private static Func<HttpResponseMessage> Status(HttpStatusCode status, string? retryAfter = null) => () =>
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is not null)
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    };

    private static Func<HttpResponseMessage> Fails => () => throw new HttpRequestException("Connection refused");

    private static Task<HttpResponseMessage> Post(HttpClient client) =>
        client.PostAsync("admin/api/2026-01/graphql.json", new StringContent("""{"query":"{ shop { id } }"}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task ServerErrorsAreRetriedWithExponentialBackoffUpToFourAttempts()
    {
        using var client = Client(Status(HttpStatusCode.BadGateway), Status(HttpStatusCode.ServiceUnavailable),
            Status(HttpStatusCode.InternalServerError), Status(HttpStatusCode.GatewayTimeout));

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(4, _bodies.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _delays);
    }

    [Fact]
    public async Task EveryAttemptSendsTheSameBody()
    {
        using var client = Client(Status(HttpStatusCode.InternalServerError), Status(HttpStatusCode.OK));

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["""{"query":"{ shop { id } }"}""", """{"query":"{ shop { id } }"}"""], _bodies);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.PaymentRequired)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task ClientErrorsOtherThan429AreNeverRetried(HttpStatusCode status)
    {
        using var client = Client(Status(status));

        using var response = await Post(client);

        Assert.Equal(status, response.StatusCode);
        Assert.Single(_bodies);
        Assert.Empty(_delays);
    }

    [Theory]
    [InlineData("2.0", 2)]
    [InlineData("3", 3)]
    [InlineData("0.5", 0.5)]
    [InlineData("3600", 10)]
    [InlineData("-1", 0)]
    [InlineData("soon", 1)]
    public async Task RateLimitWaitsForRetryAfterCappedAtTenSeconds(string retryAfter, double seconds)
    {
        using var client = Client(Status(HttpStatusCode.TooManyRequests, retryAfter), Status(HttpStatusCode.OK));

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([TimeSpan.FromSeconds(seconds)], _delays);
    }

    [Fact]
    public async Task RateLimitWithoutRetryAfterBacksOff()
    {
        using var client = Client(Status(HttpStatusCode.TooManyRequests), Status(HttpStatusCode.TooManyRequests), Status(HttpStatusCode.OK));

        using var response = await Post(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _delays);
    }

    [Fact]
    public async Task ConnectionFailuresAreRetriedThenSurface()
    {
        using var client = Client(Fails, Status(HttpStatusCode.OK));
        using (var response = await Post(client))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        _bodies.Clear();
        using var failing = Client(Fails, Fails, Fails, Fails);
        await Assert.ThrowsAsync<HttpRequestException>(() => Post(failing));
        Assert.Equal(4, _bodies.Count);
    }

    [Fact]
    public async Task CancellationStopsRetrying()
    {
        using var cts = new CancellationTokenSource();
        var handler = new ShopifyRetryHandler((_, ct) =>
        {
            cts.Cancel();
            return Task.Delay(Timeout.InfiniteTimeSpan, ct);
        })
        { InnerHandler = new StubHandler(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))) };
        using var client = new HttpClient(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("https://janes-shop.myshopify.com/", cts.Token));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
