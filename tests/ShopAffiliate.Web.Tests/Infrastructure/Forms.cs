using System.Net;
using System.Text.RegularExpressions;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>Posts Razor Pages forms the way a browser does: with the antiforgery token from the page.</summary>
public static partial class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, string pageUrl, IDictionary<string, string> fields, string? action = null) =>
        await PostAsync(client, action ?? pageUrl, fields, await TokenAsync(client, pageUrl));

    /// <summary>The antiforgery token of the form on the page (the client keeps its cookie), to post later.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string pageUrl)
    {
        var page = await client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, "The page has no antiforgery token: " + pageUrl);
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string action, IDictionary<string, string> fields, string token) =>
        await client.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));

    /// <summary>Opens the page and presses its one button: posts the form's hidden fields and antiforgery token.</summary>
    public static async Task<HttpResponseMessage> ConfirmAsync(HttpClient client, string pageUrl, string action)
    {
        var page = await client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await PostHiddenFieldsAsync(client, page, action);
    }

    /// <summary>Posts the hidden fields (antiforgery token included) of a page already fetched.</summary>
    public static async Task<HttpResponseMessage> PostHiddenFieldsAsync(HttpClient client, HttpResponseMessage page, string action)
    {
        var fields = HiddenInputPattern().Matches(await page.Content.ReadAsStringAsync())
            .ToDictionary(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, m => WebUtility.HtmlDecode(m.Groups[3].Value));
        Assert.True(fields.ContainsKey("__RequestVerificationToken"), "The page has no antiforgery token.");
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<input (?:type=\"hidden\" name=\"([^\"]+)\"|name=\"([^\"]+)\" type=\"hidden\") value=\"([^\"]*)\"")]
    private static partial Regex HiddenInputPattern();
}
