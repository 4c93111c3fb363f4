using ShopAffiliate.Platforms.Shopify;

namespace ShopAffiliate.Web.Tests.Shopify;

public sealed class ShopifySessionTokenTests
{
    private static readonly ShopifyOptions Options = new() { ApiKey = FakeShopify.ApiKey, ApiSecret = FakeShopify.ApiSecret };

    private static (bool Ok, SessionTokenClaims? Claims, string? Error) Validate(string jwt, ShopifyOptions? options = null, DateTimeOffset? now = null)
    {
        var ok = ShopifySessionToken.TryValidate(jwt, options ?? Options, now ?? SessionTokens.Now, out var claims, out var error);
        return (ok, claims, error);
    }

    [Fact]
    public void ValidTokenYieldsShopUserSessionAndExpiry()
    {
        var (ok, claims, error) = Validate(SessionTokens.Create(SessionTokens.Claims()));
        Assert.True(ok, error);
        Assert.Null(error);
        Assert.Equal(new SessionTokenClaims(FakeShopify.Shop, "42", "aaea182f2732d44c23057c0fea584021a4485b2bd25d3eb7fd349313ad24c685",
            SessionTokens.Now.AddSeconds(60).UtcDateTime), claims);
        Assert.Equal(DateTimeKind.Utc, claims!.ExpiresAt.Kind);
    }

    [Fact]
    public void ShopComesFromDestInLowerCase()
    {
        var claims = SessionTokens.Claims();
        claims["dest"] = "https://Janes-Shop.myshopify.com";
        claims["iss"] = "https://janes-shop.myshopify.com/admin";
        var (ok, result, _) = Validate(SessionTokens.Create(claims));
        Assert.True(ok);
        Assert.Equal(FakeShopify.Shop, result!.Shop);
    }

    [Fact]
    public void ExpiredTokenIsRejectedAfterTenSecondsOfSkew()
    {
        var token = SessionTokens.Create(SessionTokens.Claims());
        Assert.True(Validate(token, now: SessionTokens.Now.AddSeconds(70)).Ok);
        var (ok, claims, error) = Validate(token, now: SessionTokens.Now.AddSeconds(71));
        Assert.False(ok);
        Assert.Null(claims);
        Assert.Contains("expired", error);
    }

    [Fact]
    public void TokenNotValidYetIsRejected()
    {
        var claims = SessionTokens.Claims();
        claims["nbf"] = SessionTokens.Now.AddSeconds(30).ToUnixTimeSeconds();
        var (ok, _, error) = Validate(SessionTokens.Create(claims));
        Assert.False(ok);
        Assert.Contains("not valid yet", error);

        claims["nbf"] = SessionTokens.Now.AddSeconds(10).ToUnixTimeSeconds();
        Assert.True(Validate(SessionTokens.Create(claims)).Ok); // within the skew
    }

    [Fact]
    public void TokenForAnotherAppIsRejected()
    {
        var (ok, _, error) = Validate(SessionTokens.Create(SessionTokens.Claims(aud: "another-app")));
        Assert.False(ok);
        Assert.Contains("aud", error);
        Assert.False(Validate(SessionTokens.Create(SessionTokens.Claims(aud: null))).Ok);
    }

    [Fact]
    public void UnsignedAlgNoneTokenIsRejected()
    {
        var header = SessionTokens.Segment(new Dictionary<string, string> { ["alg"] = "none", ["typ"] = "JWT" });
        var payload = SessionTokens.Segment(SessionTokens.Claims());
        Assert.False(Validate($"{header}.{payload}.").Ok);

        var (ok, _, error) = Validate(SessionTokens.Create(SessionTokens.Claims(), alg: "none"));
        Assert.False(ok);
        Assert.Contains("'none'", error);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("HS512")]
    [InlineData("hs256")]
    public void AnyAlgorithmButHs256IsRejected(string alg)
    {
        var (ok, _, error) = Validate(SessionTokens.Create(SessionTokens.Claims(), alg: alg));
        Assert.False(ok);
        Assert.Contains("only HS256", error);
    }

    [Fact]
    public void TamperedPayloadOrSignatureIsRejected()
    {
        var token = SessionTokens.Create(SessionTokens.Claims());
        var parts = token.Split('.');

        var otherShop = SessionTokens.Claims("evil-shop.myshopify.com");
        var swapped = $"{parts[0]}.{SessionTokens.Segment(otherShop)}.{parts[2]}";
        Assert.Contains("signature", Validate(swapped).Error);

        var flipped = parts[2][..^2] + (parts[2][^2] == 'A' ? 'B' : 'A') + parts[2][^1];
        Assert.Contains("signature", Validate($"{parts[0]}.{parts[1]}.{flipped}").Error);

        Assert.False(Validate(SessionTokens.Create(SessionTokens.Claims(), secret: "someone-else")).Ok);
    }

    [Fact]
    public void IssuerThatDisagreesWithDestIsRejected()
    {
        var claims = SessionTokens.Claims();
        claims["iss"] = "https://other-shop.myshopify.com/admin";
        var (ok, _, error) = Validate(SessionTokens.Create(claims));
        Assert.False(ok);
        Assert.Contains("issuer", error);

        claims["iss"] = $"https://{FakeShopify.Shop}/not-admin";
        Assert.False(Validate(SessionTokens.Create(claims)).Ok);
    }

    [Theory]
    [InlineData("https://evil.com")]
    [InlineData("http://janes-shop.myshopify.com")]
    [InlineData("janes-shop.myshopify.com")]
    public void DestinationMustBeAnHttpsShopDomain(string dest)
    {
        var claims = SessionTokens.Claims();
        claims["dest"] = dest;
        claims["iss"] = dest + "/admin";
        var (ok, _, error) = Validate(SessionTokens.Create(claims));
        Assert.False(ok);
        Assert.Contains("destination", error);
    }

    [Fact]
    public void TokenSignedWithThePreviousSecretIsAcceptedDuringRotation()
    {
        var rotated = new ShopifyOptions { ApiKey = FakeShopify.ApiKey, ApiSecret = "shpss_next", PreviousApiSecret = FakeShopify.ApiSecret };
        var (ok, claims, _) = Validate(SessionTokens.Create(SessionTokens.Claims()), rotated);
        Assert.True(ok);
        Assert.Equal(FakeShopify.Shop, claims!.Shop);
        Assert.False(Validate(SessionTokens.Create(SessionTokens.Claims()), new ShopifyOptions { ApiKey = FakeShopify.ApiKey, ApiSecret = "shpss_next" }).Ok);
    }

    [Fact]
    public void TokenWithoutExpiryIsRejected()
    {
        var claims = SessionTokens.Claims();
        claims.Remove("exp");
        Assert.Contains("expiry", Validate(SessionTokens.Create(claims)).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.###.$$$")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln")]
    public void MalformedTokensAreRejectedWithoutThrowing(string jwt) =>
        Assert.False(Validate(jwt).Ok);

    [Fact]
    public void NothingValidatesWhenShopifyIsNotConfigured()
    {
        var (ok, _, error) = Validate(SessionTokens.Create(SessionTokens.Claims()), new ShopifyOptions());
        Assert.False(ok);
        Assert.Contains("not configured", error);
    }
}
