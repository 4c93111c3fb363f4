using Microsoft.Extensions.Options;

namespace ShopAffiliate.Core.Email;

public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, else STARTTLS when the server offers it.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Outgoing mail. Without <see cref="Host"/> messages are written as .eml files to <see cref="PickupFolder"/>.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, <c>name &lt;address&gt;</c> or an address.</summary>
    public string From { get; set; } = "ShopAffiliate <no-reply@localhost>";

    /// <summary>Where .eml files go when no SMTP host is set; relative to the working directory, like the SQLite file.</summary>
    public string PickupFolder { get; set; } = "data/mail";

    /// <summary>How long one connect or command may take before the try counts as failed (and is retried).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);
}

internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions o)
    {
        var failures = new List<string>();
        if (!MimeKit.MailboxAddress.TryParse(o.From, out _)) failures.Add($"Smtp:From '{o.From}' is not a mail address.");
        if (o.Port is < 1 or > 65535) failures.Add("Smtp:Port must be 1 to 65535.");
        if (o.TimeoutSeconds is < 1 or > 600) failures.Add("Smtp:TimeoutSeconds must be 1 to 600.");
        if (string.IsNullOrWhiteSpace(o.User) != string.IsNullOrWhiteSpace(o.Password)) failures.Add("Smtp:User and Smtp:Password are set together or not at all.");
        if (!o.UsesSmtp && string.IsNullOrWhiteSpace(o.PickupFolder)) failures.Add("Smtp:PickupFolder is required when Smtp:Host is unset.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
