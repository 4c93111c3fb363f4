using System.Net;
using System.Text.RegularExpressions;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>Posts Razor Pages forms the way a browser does: with the antiforgery token from the page.</summary>
public static partial class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, string pageUrl, IDictionary<string, string> fields, string? action = null)
    {
        var page = await client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, "The page has no antiforgery token: " + pageUrl);

        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        return await client.PostAsync(action ?? pageUrl, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
