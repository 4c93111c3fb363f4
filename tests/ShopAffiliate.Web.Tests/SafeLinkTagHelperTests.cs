using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ShopAffiliate.Admin.TagHelpers;

namespace ShopAffiliate.Web.Tests;

/// <summary>How a page renders a URL that came from outside: a link only when it is http(s), encoded.</summary>
public sealed class SafeLinkTagHelperTests
{
    [Fact]
    public void AnHttpUrlBecomesAnEncodedLinkThatGivesTheTargetNoHandle() =>
        Assert.Equal(
            "<a class=\"site\" target=\"_blank\" href=\"https://jane.example/?a=1&amp;b=%22%3E%3Cscript%3E\" rel=\"noopener noreferrer nofollow\">Jane</a>",
            Render("https://jane.example/?a=1&b=\"><script>"));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData(null)]
    public void AnyOtherUrlIsRenderedAsTextNotALink(string? url) =>
        Assert.Equal("<span class=\"site\">Jane</span>", Render(url));

    private static string Render(string? url)
    {
        var context = new TagHelperContext(new TagHelperAttributeList { { "safe-href", url } }, new Dictionary<object, object>(), "t");
        var output = new TagHelperOutput("a", new TagHelperAttributeList { { "class", "site" }, { "target", "_blank" }, { "href", "#" } },
            (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        output.Content.SetContent("Jane");
        new SafeLinkTagHelper { Url = url }.Process(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }
}
