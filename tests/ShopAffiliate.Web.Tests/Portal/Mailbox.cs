using System.Text;
using System.Text.RegularExpressions;

namespace ShopAffiliate.Web.Tests.Portal;

public sealed record ReceivedMail(string To, string Subject, string Body);

/// <summary>Reads the <c>.eml</c> files the app wrote to its pickup folder, as a mail client would.</summary>
public static partial class Mailbox
{
    public static IReadOnlyList<ReceivedMail> To(string folder, string address) =>
        !Directory.Exists(folder) ? [] : Directory.GetFiles(folder, "*.eml").Order().Select(Read).Where(m => m.To == address).ToList();

    /// <summary>The one mail to <paramref name="address"/> whose subject contains <paramref name="subject"/>.</summary>
    public static ReceivedMail Single(string folder, string address, string subject)
    {
        var found = To(folder, address).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 1, $"Expected one mail '{subject}' to {address}, found {found.Count}.");
        return found[0];
    }

    /// <summary>The first link in the mail that starts with <paramref name="prefix"/>, as a path and query.</summary>
    public static string Link(ReceivedMail mail, string prefix)
    {
        var match = LinkPattern().Matches(mail.Body).Select(m => m.Value).FirstOrDefault(u => new Uri(u).AbsolutePath.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(match is not null, $"No {prefix} link in: {mail.Body}");
        return new Uri(match!).PathAndQuery;
    }

    private static ReceivedMail Read(string path)
    {
        var text = File.ReadAllText(path);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = text[..split].Split("\r\n").Select(h => h.Split(": ", 2)).ToDictionary(h => h[0], h => h[1]);
        var subject = SubjectPattern().Match(headers["Subject"]) is { Success: true } m
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)) : headers["Subject"];
        Assert.Equal("base64", headers["Content-Transfer-Encoding"]);
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(text[(split + 4)..].Replace("\r\n", "")));
        return new ReceivedMail(headers["To"], subject, body);
    }

    [GeneratedRegex(@"^=\?utf-8\?B\?(.+)\?=$")]
    private static partial Regex SubjectPattern();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
