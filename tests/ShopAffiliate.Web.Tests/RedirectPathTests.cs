using ShopAffiliate.Web.Features.Tracking;

namespace ShopAffiliate.Web.Tests;

/// <summary>Which paths the redirect middleware answers (everything else goes on to routing).</summary>
public sealed class RedirectPathTests
{
    [Theory]
    [InlineData("/r/jane", "jane", null)]
    [InlineData("/r/jane/", "jane", null)]
    [InlineData("/R/Jane", "Jane", null)]
    [InlineData("/r/jane/spring-sale", "jane", "spring-sale")]
    [InlineData("/r/jane/spring-sale/", "jane", "spring-sale")]
    public void TrackingPathsAreRead(string path, string code, string? subId)
    {
        Assert.True(RedirectMiddleware.TryParse(path, out var readCode, out var readSubId));
        Assert.Equal((code, subId), (readCode, readSubId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/r")]
    [InlineData("/r/")]
    [InlineData("/r//x")]
    [InlineData("/r/jane//")]
    [InlineData("/r/jane/a/b")]
    [InlineData("/rx/jane")]
    [InlineData("/admin/r/jane")]
    public void OtherPathsAreNotOurs(string? path) => Assert.False(RedirectMiddleware.TryParse(path, out _, out _));
}
