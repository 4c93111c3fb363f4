using System.Text.RegularExpressions;
using MimeKit;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

public sealed record ReceivedMail(string To, string Subject, string Body, MimeMessage Message);

/// <summary>
/// Reads the <c>.eml</c> files the outbox's pickup-folder transport wrote, as a mail client would (MimeKit). Mail is
/// sent by the background dispatcher after the request's SaveChanges, so readers wait for it to arrive.
/// </summary>
public static partial class Mailbox
{
    public static IReadOnlyList<ReceivedMail> To(string folder, string address) =>
        !Directory.Exists(folder) ? [] : [.. Directory.GetFiles(folder, "*.eml").Order().Select(Read).Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The one mail to <paramref name="address"/> whose subject contains <paramref name="subject"/>, once it has arrived.</summary>
    public static async Task<ReceivedMail> SingleAsync(string folder, string address, string subject)
    {
        var found = await Eventually.HoldsAsync(
            () => Task.FromResult(To(folder, address).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).ToList()),
            m => m.Count > 0, $"a mail '{subject}' to {address}", timeoutMs: 30_000);
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
        var message = MimeMessage.Load(path);
        return new ReceivedMail(message.To.Mailboxes.Single().Address, message.Subject ?? "", message.TextBody ?? "", message);
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
