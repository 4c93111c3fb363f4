namespace ShopAffiliate.Core.Affiliates;

/// <summary>
/// A small bundled list of throwaway-mailbox services, the ones seen most in affiliate sign-up abuse. It is a signal
/// for a person, not a block: a list like this is never complete and changes weekly, so it only flags.
/// </summary>
public static class DisposableEmailDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        "10minutemail.com", "20minutemail.com", "anonaddy.me", "burnermail.io", "discard.email", "dispostable.com",
        "emailondeck.com", "fakeinbox.com", "getairmail.com", "getnada.com", "guerrillamail.com", "guerrillamail.net",
        "guerrillamailblock.com", "inboxkitten.com", "maildrop.cc", "mailinator.com", "mailnesia.com", "mailpoof.com",
        "mintemail.com", "mohmal.com", "moakt.com", "mytemp.email", "nada.email", "sharklasers.com", "spamgourmet.com",
        "temp-mail.io", "temp-mail.org", "tempail.com", "tempmail.dev", "tempmailo.com", "tempr.email", "throwawaymail.com",
        "trashmail.com", "trashmail.de", "yopmail.com", "yopmail.fr", "yopmail.net",
    };

    public static bool Contains(string domain) => Domains.Contains(domain);
}
