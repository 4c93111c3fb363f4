using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ShopAffiliate.Core.Tracking;

/// <summary>Bot detection by user agent, repeat detection per visitor and link, and IP hashing.</summary>
public static partial class ClickClassifier
{
    public static bool IsBot(string? userAgent) => string.IsNullOrWhiteSpace(userAgent) || BotPattern().IsMatch(userAgent);

    /// <summary>HMAC-SHA256 of the IP keyed with the workspace's salt: stable within a program, useless outside it.</summary>
    public static string? HashIp(string? ip, byte[] salt)
    {
        if (string.IsNullOrEmpty(ip)) return null;
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(ip), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    [GeneratedRegex(@"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|fetch|monitor|pingdom|uptime|headlesschrome|phantomjs|curl|wget|python-requests|python-urllib|httpclient|okhttp|go-http-client|java/|libwww|scrapy|axios|node-fetch",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotPattern();
}
