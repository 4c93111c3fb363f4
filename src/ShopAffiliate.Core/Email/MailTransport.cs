using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ShopAffiliate.Core.Email;

/// <summary>Hands a finished message to the world: an SMTP server, or a folder of .eml files.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>MailKit over SMTP, one connection per message (mail volume is low; a failed connection fails one try).</summary>
public sealed class SmtpMailTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        var security = o.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(o.Host!, o.Port, security, ct);
        if (!string.IsNullOrWhiteSpace(o.User)) await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

/// <summary>
/// Writes each message as <c>{Message-ID}.eml</c> (MimeKit's own format) when no SMTP server is configured. Written to
/// a temporary name and moved, so a reader never sees half a file; a retry of the same message overwrites its file.
/// </summary>
public sealed class PickupFolderTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var folder = Path.GetFullPath(options.Value.PickupFolder);
        Directory.CreateDirectory(folder);
        var name = string.Concat((message.MessageId ?? Guid.NewGuid().ToString("N")).Split(Path.GetInvalidFileNameChars()));
        var temp = Path.Combine(folder, name + ".tmp");
        await message.WriteToAsync(temp, ct);
        File.Move(temp, Path.Combine(folder, name + ".eml"), overwrite: true);
    }
}

/// <summary>SMTP reply codes: 4xx is "try again later", 5xx is a refusal for good.</summary>
internal static class SmtpReplies
{
    public static int? CodeOf(Exception e) => e is SmtpCommandException command ? (int)command.StatusCode : null;

    public static bool IsPermanent(Exception e) => e is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 } ||
        e is AuthenticationException || e is ServiceNotAuthenticatedException;
}
