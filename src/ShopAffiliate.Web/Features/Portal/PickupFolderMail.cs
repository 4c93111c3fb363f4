using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Affiliates;

namespace ShopAffiliate.Web.Features.Portal;

/// <summary>Bound from <c>AffiliateMail</c>.</summary>
public sealed class AffiliateMailOptions
{
    public const string Section = "AffiliateMail";

    /// <summary>Folder the <c>.eml</c> files are written to; relative to the working directory.</summary>
    [Required(ErrorMessage = "AffiliateMail:PickupDirectory is required, e.g. data/mail")]
    public string PickupDirectory { get; set; } = "data/mail";

    [Required(ErrorMessage = "AffiliateMail:From is required, e.g. affiliates@example.com")]
    [EmailAddress(ErrorMessage = "AffiliateMail:From must be an email address.")]
    public string From { get; set; } = "affiliates@localhost";
}

/// <summary>
/// Writes each email as an RFC 5322 <c>.eml</c> file (a mail client opens it, a pickup-folder relay sends it). The
/// write goes to a temporary name first, so a reader never sees half a message. Until the durable outbox is on main
/// (issue 15, comms) this is the only transport: there are no retries because a local file write has nothing to retry.
/// </summary>
internal sealed class PickupFolderMail(IOptions<AffiliateMailOptions> options, TimeProvider clock) : IAffiliateMail
{
    public async Task SendAsync(AffiliateEmail email, CancellationToken ct)
    {
        var o = options.Value;
        var folder = Path.GetFullPath(o.PickupDirectory);
        Directory.CreateDirectory(folder);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var text = new StringBuilder()
            .Append("From: ").Append(o.From).Append("\r\n")
            .Append("To: ").Append(email.To).Append("\r\n")
            .Append("Subject: =?utf-8?B?").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(email.Subject))).Append("?=\r\n")
            .Append("Date: ").Append(now.ToString("r")).Append("\r\n")
            .Append("Message-ID: <").Append(id.ToString("N")).Append("@shopaffiliate>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(email.Body.ReplaceLineEndings("\r\n")), Base64FormattingOptions.InsertLineBreaks))
            .Append("\r\n")
            .ToString();
        var path = Path.Combine(folder, $"{now:yyyyMMddHHmmssfff}-{id:N}.eml");
        await File.WriteAllTextAsync(path + ".tmp", text, ct);
        File.Move(path + ".tmp", path);
    }
}
