namespace ShopAffiliate.Web.Hosting;

/// <summary>A small server-rendered page, never cached, with its own <c>Content-Security-Policy</c> (which sites may frame it).</summary>
internal sealed class HtmlResult(string html, string csp) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = csp;
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(html);
    }
}
