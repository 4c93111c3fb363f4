using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// A storefront on its own Kestrel server that embeds sa.js from the app the way the install instructions say.
/// Pages: <c>/</c> (defaults), <c>/optin</c> (data-consent="optin"), <c>/shopify</c> (data-platform="shopify").
/// <c>POST /cart/update.js</c> records its JSON body, like Shopify's Ajax cart API.
/// </summary>
public sealed class FakeShop : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeShop(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The shop's origin, on <see cref="ChromiumFixture.ShopHost"/> (a different site from the app).</summary>
    public string BaseUrl { get; }

    public ConcurrentQueue<CartUpdate> CartUpdates { get; } = new();

    public sealed record CartUpdate(string? ContentType, JsonElement Body);

    public static async Task<FakeShop> StartAsync(string appBaseUrl, string workspaceSlug)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "FakeShop" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeShop? shop = null;

        IResult Page(string title, string attributes) => Results.Content(
            $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{title}</title>
            <script src="{appBaseUrl}/sa.js" data-workspace="{workspaceSlug}"{attributes} async></script>
            </head><body><h1>{title}</h1></body></html>
            """, "text/html; charset=utf-8");

        app.MapGet("/", () => Page("Knitwear shop", ""));
        app.MapGet("/optin", () => Page("Knitwear shop (consent banner)", " data-consent=\"optin\""));
        app.MapGet("/shopify", () => Page("Knitwear shop on Shopify", " data-platform=\"shopify\""));
        app.MapPost("/cart/update.js", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            shop!.CartUpdates.Enqueue(new CartUpdate(request.ContentType, body));
            return Results.Json(new { token = "cart-1", attributes = body.GetProperty("attributes") });
        });

        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        shop = new FakeShop(app, $"http://{ChromiumFixture.ShopHost}:{address.Port}");
        return shop;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
