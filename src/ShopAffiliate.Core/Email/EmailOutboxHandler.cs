using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using ShopAffiliate.Core.Outbox;

namespace ShopAffiliate.Core.Email;

/// <summary>Sends outbox emails. The Message-ID comes from the outbox row, so a repeat after a crash is the same message.</summary>
public sealed class EmailOutboxHandler(IMailTransport transport, IOptions<SmtpOptions> options) : IOutboxHandler
{
    public string Kind => OutboxKinds.Email;

    public async Task<OutboxOutcome> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<EmailPayload>(message.Payload, EmailJson.Options)
            ?? throw new InvalidOperationException("The outbox row holds no email.");
        var mime = Build(payload, message.Id, MailboxAddress.Parse(options.Value.From));
        try
        {
            await transport.SendAsync(mime, ct);
            return OutboxOutcome.Sent(options.Value.UsesSmtp ? 250 : null);
        }
        catch (Exception e) when (e is MailKit.Net.Smtp.SmtpCommandException or MailKit.Security.AuthenticationException
            or MailKit.ServiceNotAuthenticatedException or MailKit.Net.Smtp.SmtpProtocolException)
        {
            var code = SmtpReplies.CodeOf(e);
            var error = code is null ? e.GetType().Name + ": " + e.Message : $"SMTP {code}: {e.Message}";
            return SmtpReplies.IsPermanent(e) ? OutboxOutcome.GiveUp(error, code) : OutboxOutcome.Retry(error, code);
        }
    }

    internal static MimeMessage Build(EmailPayload payload, long outboxId, MailboxAddress from)
    {
        var mime = new MimeMessage { Subject = payload.Subject };
        mime.From.Add(from);
        mime.To.Add(new MailboxAddress(payload.ToName ?? "", payload.To));
        mime.MessageId = $"outbox-{outboxId}@{from.Domain}";
        if (payload.UnsubscribeUrl is { } url)
        {
            // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the URL; no page, no sign-in.
            mime.Headers.Add("List-Unsubscribe", $"<{url}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        mime.Body = new BodyBuilder { TextBody = payload.Text, HtmlBody = payload.Html }.ToMessageBody();
        return mime;
    }
}

internal static class EmailJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
