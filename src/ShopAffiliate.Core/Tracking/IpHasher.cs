using System.Security.Cryptography;
using System.Text;

namespace ShopAffiliate.Core.Tracking;

/// <summary>
/// <see cref="ClickClassifier.HashIp"/> for one workspace's salt, keeping the keyed HMAC between calls: the one-shot
/// form sets up a new OpenSSL context and key for every click, a measurable share of the click writer's CPU.
/// Not thread-safe; <see cref="ClickWriter"/> uses it from its serialized write path only.
/// </summary>
public sealed class IpHasher(byte[] salt) : IDisposable
{
    private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, salt);

    public string? Hash(string? ip)
    {
        if (string.IsNullOrEmpty(ip)) return null;
        // An IP is short (IPv6 with a zone id stays well under 64 characters); anything longer takes the heap.
        var max = Encoding.UTF8.GetMaxByteCount(ip.Length);
        Span<byte> utf8 = max <= 192 ? stackalloc byte[192] : new byte[max];
        _hmac.AppendData(utf8[..Encoding.UTF8.GetBytes(ip, utf8)]);
        Span<byte> hash = stackalloc byte[32];
        _hmac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    public void Dispose() => _hmac.Dispose();
}
