using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ShopAffiliate.Web.Tests.Shopify;

/// <summary>Builds App Bridge-style session tokens for tests.</summary>
internal static class SessionTokens
{
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    public static Dictionary<string, object?> Claims(string shop = FakeShopify.Shop, string? aud = FakeShopify.ApiKey) => new()
    {
        ["iss"] = $"https://{shop}/admin",
        ["dest"] = $"https://{shop}",
        ["aud"] = aud,
        ["sub"] = "42",
        ["exp"] = Now.AddSeconds(60).ToUnixTimeSeconds(),
        ["nbf"] = Now.AddSeconds(-1).ToUnixTimeSeconds(),
        ["iat"] = Now.AddSeconds(-1).ToUnixTimeSeconds(),
        ["jti"] = "f8912129-1af6-4cad-9ca3-76b0f7621087",
        ["sid"] = "aaea182f2732d44c23057c0fea584021a4485b2bd25d3eb7fd349313ad24c685",
    };

    public static string Create(IDictionary<string, object?> claims, string secret = FakeShopify.ApiSecret, string alg = "HS256")
    {
        var header = Segment(new Dictionary<string, object?> { ["alg"] = alg, ["typ"] = "JWT" });
        var payload = Segment(claims);
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    public static string Segment(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
