namespace ShopAffiliate.Core.Affiliates;

/// <summary>What screening knows about an application before it is stored (the database look-ups are done by the caller).</summary>
public sealed record ScreeningFacts(
    string Email,
    string? Website,
    bool SameMailboxExists,
    bool SameIpHashExists,
    bool IsExistingCustomer);

/// <summary>The automatic signals and the auto-approve decision: pure, so every rule is a unit test.</summary>
public static class Screening
{
    public static List<ScreeningSignal> Signals(ScreeningFacts facts)
    {
        var signals = new List<ScreeningSignal>();
        if (facts.SameMailboxExists) signals.Add(ScreeningSignal.DuplicateEmail);
        if (facts.SameIpHashExists) signals.Add(ScreeningSignal.DuplicateIp);
        var domain = DomainOf(facts.Email);
        if (DisposableEmailDomains.Contains(domain)) signals.Add(ScreeningSignal.DisposableEmail);
        if (WebsiteHost(facts.Website) is { } host)
        {
            signals.Add(host == domain || host.EndsWith("." + domain, StringComparison.Ordinal)
                ? ScreeningSignal.EmailMatchesWebsite
                : ScreeningSignal.EmailDiffersFromWebsite);
        }
        if (facts.IsExistingCustomer) signals.Add(ScreeningSignal.ExistingCustomer);
        return signals;
    }

    /// <summary>The signals that stop any auto-approve rule: a person looks at these first.</summary>
    public static bool IsWarning(ScreeningSignal signal) =>
        signal is ScreeningSignal.DuplicateEmail or ScreeningSignal.DuplicateIp or ScreeningSignal.DisposableEmail;

    public static bool AutoApproves(AutoApproveRule rule, IReadOnlyCollection<string> domains, string email, IReadOnlyCollection<ScreeningSignal> signals)
    {
        if (signals.Any(IsWarning)) return false;
        return rule switch
        {
            AutoApproveRule.All => true,
            AutoApproveRule.EmailDomain => domains.Contains(DomainOf(email), StringComparer.OrdinalIgnoreCase),
            AutoApproveRule.ExistingCustomer => signals.Contains(ScreeningSignal.ExistingCustomer),
            _ => false,
        };
    }

    /// <summary>
    /// The mailbox an address delivers to, for the duplicate check: lowercase, without a <c>+tag</c>
    /// (<c>Ann+aff2@Example.com</c> and <c>ann@example.com</c> are one person applying twice).
    /// </summary>
    public static string Mailbox(string email)
    {
        email = email.Trim().ToLowerInvariant();
        var at = email.LastIndexOf('@');
        if (at <= 0) return email;
        var local = email[..at];
        var plus = local.IndexOf('+');
        return (plus > 0 ? local[..plus] : local) + email[at..];
    }

    public static string DomainOf(string email)
    {
        var at = email.LastIndexOf('@');
        return at < 0 ? "" : email[(at + 1)..].Trim().ToLowerInvariant();
    }

    private static string? WebsiteHost(string? website)
    {
        if (website is null || !Uri.TryCreate(website, UriKind.Absolute, out var uri)) return null;
        var host = uri.IdnHost.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }
}
