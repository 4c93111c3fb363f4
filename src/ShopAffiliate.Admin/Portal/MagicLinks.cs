using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Security;

namespace ShopAffiliate.Admin.Portal;

/// <summary>
/// Magic sign-in links: the token carries the user, its expiry and a random nonce, sealed with Data Protection (keys
/// in the database, so any node reads it); spending it puts the nonce's SHA-256 in <c>OneTimeValues</c>, whose key
/// is the check, so a link signs in once on whichever node it reaches first.
/// </summary>
public sealed class MagicLinks(IDataProtectionProvider protection, IOptions<PortalOptions> options, TimeProvider clock)
{
    private const string Purpose = "portal-magic-link";
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("ShopAffiliate.Portal.MagicLink").ToTimeLimitedDataProtector();

    public int Minutes => options.Value.MagicLinkMinutes;

    public string Create(Guid userId)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return _protector.Protect($"{userId:N}.{nonce}", clock.GetUtcNow().AddMinutes(Minutes));
    }

    /// <summary>The user the token is for, when it is genuine, unexpired and not yet spent; it is spent by this call.</summary>
    public async Task<Guid?> SpendAsync(AppDbContext db, string? token, CancellationToken ct)
    {
        if (Read(token) is not { } read) return null;
        var now = clock.GetUtcNow();
        return await OneTimeValues.TrySpendAsync(db, Purpose, read.Nonce, read.Expires.UtcDateTime, now.UtcDateTime, ct) ? read.UserId : null;
    }

    /// <summary>Whether the token could still be spent (for the confirm page, which changes nothing).</summary>
    public bool LooksValid(string? token) => Read(token) is not null;

    private (Guid UserId, string Nonce, DateTimeOffset Expires)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try
        {
            var text = _protector.Unprotect(token, out var expires);
            // The protector checks expiry against the system clock; the program's clock decides too (tests move it).
            if (expires <= clock.GetUtcNow()) return null;
            var parts = text.Split('.');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var userId) ? (userId, parts[1], expires) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
