using ShopAffiliate.Core.Urls;

namespace ShopAffiliate.Core.Tests.Urls;

public sealed class SafeUrlTests
{
    [Theory]
    [InlineData("javascript:alert(1)", "javascript")]
    [InlineData("JavaScript:alert(document.cookie)", "javascript")]
    [InlineData("  javascript:alert(1)", "javascript")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data")]
    [InlineData("vbscript:msgbox(1)", "vbscript")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("/etc/passwd", "file")] // an absolute path parses as a file: URI
    [InlineData("ftp://files.example.com/x", "ftp")]
    [InlineData("mailto:jane@example.com", "mailto")]
    public void EveryOtherSchemeThanHttpIsRefusedAndNamed(string input, string scheme)
    {
        Assert.False(SafeUrl.TryParse(input, out var uri, out var problem));
        Assert.Null(uri);
        Assert.Contains($"'{scheme}:'", problem);
        Assert.Null(SafeUrl.ForHref(input));
    }

    [Theory]
    [InlineData("java\tscript:alert(1)")]   // browsers drop tabs and newlines: this would run
    [InlineData("java\nscript:alert(1)")]
    [InlineData("https://exa mple.com/")]
    [InlineData("https://example.com/\u0000")]
    public void ControlCharactersAndSpacesAreRefusedNotStripped(string input)
    {
        Assert.False(SafeUrl.TryParse(input, out _, out var problem));
        Assert.Contains("control characters", problem);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("evil.example")]
    [InlineData("")]
    public void WhatIsNotAnAbsoluteAddressIsRefused(string input) =>
        Assert.False(SafeUrl.TryParse(input, out _, out _));

    [Fact]
    public void AnAddressWithAUserNameIsRefused()
    {
        Assert.False(SafeUrl.TryParse("https://paypal.com@evil.example/login", out _, out var problem));
        Assert.Contains("user name", problem);
    }

    [Fact]
    public void AnAddressLongerThanTheLimitIsRefused() =>
        Assert.False(SafeUrl.TryParse("https://example.com/" + new string('a', SafeUrl.MaxLength), out _, out _));

    [Theory]
    [InlineData("https://jane.example", "https://jane.example/")]
    [InlineData(" HTTP://Jane.Example/blog?q=1 ", "http://jane.example/blog?q=1")]
    [InlineData("https://jane.example/\"><script>x</script>", "https://jane.example/%22%3E%3Cscript%3Ex%3C/script%3E")]
    public void HttpAddressesAreAcceptedNormalisedWithMarkupPercentEncoded(string input, string expected)
    {
        Assert.True(SafeUrl.TryParse(input, out var uri, out _));
        Assert.Equal(expected, uri.AbsoluteUri);
        Assert.Equal(expected, SafeUrl.ForHref(input));
    }
}
