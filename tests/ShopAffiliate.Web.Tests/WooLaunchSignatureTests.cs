using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Features.WooCommerce;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// The launch endpoint refuses a link by its signature alone: every link here is fresh, for a known store, with a
/// nonce never used, so only the signature check stands between it and a staff sign-in.
/// </summary>
public abstract class WooLaunchSignatureTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    private async Task<(Shop Shop, string Secret)> StoreAsync()
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var s = new Scenario(App);
        var workspaceId = await s.WorkspaceIdAsync();
        return await s.WithDbAsync(async db =>
        {
            var shop = new Shop
            {
                WorkspaceId = workspaceId, Platform = ShopPlatform.WooCommerce, Domain = $"store-{Guid.NewGuid():N}.example", Name = "Jane's Shop",
                EncryptedLaunchSecret = App.Services.GetRequiredService<ShopSecrets>().ProtectLaunchSecret(secret),
            };
            db.Shops.Add(shop);
            await db.SaveChangesAsync();
            return (shop, secret);
        });
    }

    private static Dictionary<string, string> Parameters(Shop shop, string email) => new()
    {
        ["shop"] = shop.Id.ToString(), ["user"] = "7", ["email"] = email, ["nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Link(IDictionary<string, string> parameters, string signature) =>
        "/woocommerce/launch?" + WooLaunchLink.Canonical(parameters) + "&sig=" + signature;

    private HttpClient Browser() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private Task<bool> UserExistsAsync(string email) =>
        new Scenario(App).WithDbAsync(db => db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));

    public enum Forgery
    {
        SignedWithAnotherSecret,
        SignedForAnotherUser,
        SignedForAnotherEmail,
        SignatureOfAnotherLink,
    }

    [Theory]
    [InlineData(Forgery.SignedWithAnotherSecret)]
    [InlineData(Forgery.SignedForAnotherUser)]
    [InlineData(Forgery.SignedForAnotherEmail)]
    [InlineData(Forgery.SignatureOfAnotherLink)]
    public async Task AFreshLaunchLinkWithAWrongSignatureSignsNobodyInAndLeavesItsNonceUnspent(Forgery forgery)
    {
        var (shop, secret) = await StoreAsync();
        var email = $"wp-admin.{Guid.NewGuid():N}@example.com";
        var genuine = Parameters(shop, email);
        var forged = forgery switch
        {
            Forgery.SignedWithAnotherSecret => Link(genuine, WooLaunchLink.Sign(genuine, secret + "x")),
            Forgery.SignedForAnotherUser => Link(new Dictionary<string, string>(genuine) { ["user"] = "1" }, WooLaunchLink.Sign(genuine, secret)),
            Forgery.SignedForAnotherEmail => Link(new Dictionary<string, string>(genuine) { ["email"] = TestApp.OwnerEmail }, WooLaunchLink.Sign(genuine, secret)),
            _ => Link(genuine, WooLaunchLink.Sign(Parameters(shop, email), secret)), // a genuine signature, over another nonce
        };
        var browser = Browser();

        var refused = await browser.GetAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies), "A refused launch link set a cookie: " + string.Join("; ", cookies ?? []));
        var admin = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode); // to the sign-in page: nobody is signed in
        Assert.Equal("/admin/login", new Uri(new Uri("http://localhost"), admin.Headers.Location!).AbsolutePath);
        Assert.False(await UserExistsAsync(email));

        // The same link correctly signed still works: it was refused for its signature, not for its nonce, age or store.
        var launch = await browser.GetAsync(Link(genuine, WooLaunchLink.Sign(genuine, secret)));
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        Assert.Equal("/admin", launch.Headers.Location!.OriginalString);
        Assert.True(await UserExistsAsync(email));
    }
}

public sealed class WooLaunchSignatureOnSqlite(SqliteApp fixture) : WooLaunchSignatureTests(fixture), IClassFixture<SqliteApp>;

public sealed class WooLaunchSignatureOnPostgres(PostgresApp fixture) : WooLaunchSignatureTests(fixture), IClassFixture<PostgresApp>;
