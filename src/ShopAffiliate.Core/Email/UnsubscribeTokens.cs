using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace ShopAffiliate.Core.Email;

/// <summary>
/// The token in an unsubscribe link: the program and the address, encrypted and authenticated with Data Protection
/// (keys in the database, so every node reads every node's links). Nobody can make one for another address.
/// </summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ShopAffiliate.Email.Unsubscribe.v1");

    public string Create(Guid workspaceId, string email) =>
        WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes($"{workspaceId:N}|{email}")));

    public bool TryRead(string token, out Guid workspaceId, out string email)
    {
        workspaceId = default;
        email = "";
        try
        {
            var text = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token)));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0 || !Guid.TryParseExact(text[..bar], "N", out workspaceId)) return false;
            email = text[(bar + 1)..];
            return email.Length > 0;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
