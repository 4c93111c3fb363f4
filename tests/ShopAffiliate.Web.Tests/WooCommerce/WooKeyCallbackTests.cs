using System.Text;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Tests.WooCommerce;

public sealed class WooKeyCallbackTests
{
    private const string Secret = "cs_5b7b2e4f8c1d9a3e6f0b2c4d6e8f0a1b3c5d7e9f";

    private static (bool Ok, WooKeyCallback? Callback, string? Error) Parse(string json)
    {
        var ok = WooKeyCallback.TryParse(Encoding.UTF8.GetBytes(json), out var callback, out var error);
        return (ok, callback, error);
    }

    [Fact]
    public void WooCommercesBodyWithAStringUserIdIsRead()
    {
        var (ok, callback, error) = Parse(
            $$"""{"key_id":1,"user_id":"connect-7f3a","consumer_key":"ck_1a2b3c4d5e6f7a8b9c0d","consumer_secret":"{{Secret}}","key_permissions":"read_write"}""");

        Assert.True(ok, error);
        Assert.Equal(new WooKeyCallback(1, "connect-7f3a", "ck_1a2b3c4d5e6f7a8b9c0d", Secret, "read_write"), callback);
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("\"7\"", "7")]
    [InlineData("123456789012", "123456789012")]
    public void UserIdMayBeANumber(string userIdJson, string expected)
    {
        var (ok, callback, _) = Parse(
            $$"""{"key_id":"12","user_id":{{userIdJson}},"consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read"}""");

        Assert.True(ok);
        Assert.Equal(expected, callback!.UserId);
        Assert.Equal(12, callback.KeyId);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("""{"user_id":"7","consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read"}""", "key_id")]
    [InlineData("""{"key_id":-1,"user_id":"7","consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read"}""", "key_id")]
    [InlineData("""{"key_id":1,"user_id":null,"consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read"}""", "user_id")]
    [InlineData("""{"key_id":1,"user_id":7.5,"consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"read"}""", "user_id")]
    [InlineData("""{"key_id":1,"user_id":"7","consumer_key":"xx_a","consumer_secret":"cs_b","key_permissions":"read"}""", "consumer_key")]
    [InlineData("""{"key_id":1,"user_id":"7","consumer_key":"ck_a","consumer_secret":"secret","key_permissions":"read"}""", "consumer_secret")]
    [InlineData("""{"key_id":1,"user_id":"7","consumer_key":"ck_a","consumer_secret":"cs_","key_permissions":"read"}""", "consumer_secret")]
    [InlineData("""{"key_id":1,"user_id":"7","consumer_key":"ck_a","consumer_secret":"cs_b","key_permissions":"admin"}""", "key_permissions")]
    public void BadBodyIsRefusedNamingTheField(string json, string named)
    {
        var (ok, callback, error) = Parse(json);

        Assert.False(ok);
        Assert.Null(callback);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringLeavesTheSecretOut()
    {
        var text = new WooKeyCallback(1, "7", "ck_1a2b3c4d5e6f7a8b9c0d", Secret, "read_write").ToString();

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("ck_1a2b3c4d5e6f7a8b9c0d", text, StringComparison.Ordinal);
        Assert.Contains("…a8b9c0d", text, StringComparison.Ordinal); // the last 7 characters, as WooCommerce shows keys
    }
}
