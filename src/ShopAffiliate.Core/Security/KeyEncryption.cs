using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Core.Security;

/// <summary>
/// <c>DataProtection:KeyEncryptionKey</c> (base64 of 32 random bytes) encrypts the Data Protection key ring at rest;
/// <c>DataProtection:PreviousKeyEncryptionKeys</c> still decrypt while a rotation is under way (ADR 0027).
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "DataProtection";

    public string? KeyEncryptionKey { get; set; }

    public List<string> PreviousKeyEncryptionKeys { get; set; } = [];

    /// <summary>Development only, when no key is set: where a generated key is kept (relative to the working directory, like the SQLite file).</summary>
    public string DevelopmentKeyFile { get; set; } = "data/dataprotection-kek";

    internal static bool TryParse(string? value, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(value)) return false;
        var buffer = new byte[48];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written != 32) return false;
        key = buffer[..32];
        return true;
    }
}

internal sealed class KeyEncryptionOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyEncryptionOptions>
{
    public const string MissingMessage =
        "DataProtection:KeyEncryptionKey is required outside Development: it encrypts the keys that protect the stored " +
        "shop credentials and the sign-in cookies. Set it to 32 random bytes in base64 (e.g. `openssl rand -base64 32`), " +
        "from the environment (DataProtection__KeyEncryptionKey) or a secret store.";

    // The messages never show a value: these are secrets.
    public ValidateOptionsResult Validate(string? name, KeyEncryptionOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            if (!environment.IsDevelopment()) failures.Add(MissingMessage);
        }
        else if (!KeyEncryptionOptions.TryParse(options.KeyEncryptionKey, out _))
        {
            failures.Add("DataProtection:KeyEncryptionKey must be 32 bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`).");
        }
        for (var i = 0; i < options.PreviousKeyEncryptionKeys.Count; i++)
        {
            if (!KeyEncryptionOptions.TryParse(options.PreviousKeyEncryptionKeys[i], out _))
                failures.Add($"DataProtection:PreviousKeyEncryptionKeys:{i} must be 32 bytes in base64.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The current key-encryption key and every one that may still decrypt, by a fingerprint stored next to each encrypted key.</summary>
public sealed partial class KeyEncryptionKeys
{
    private readonly Dictionary<string, byte[]> _byId = new(StringComparer.Ordinal);

    public KeyEncryptionKeys(IOptions<KeyEncryptionOptions> options, ILogger<KeyEncryptionKeys> logger)
    {
        var o = options.Value;
        byte[] current;
        if (!KeyEncryptionOptions.TryParse(o.KeyEncryptionKey, out current))
        {
            // Only reachable in Development (the validator refuses a missing key elsewhere): the README's one command
            // must work on a fresh clone, so a key is generated once and kept beside the development database.
            current = DevelopmentKey(o.DevelopmentKeyFile);
            LogDevelopmentKey(logger, Path.GetFullPath(o.DevelopmentKeyFile));
        }
        CurrentId = Fingerprint(current);
        Current = current;
        _byId[CurrentId] = current;
        foreach (var previous in o.PreviousKeyEncryptionKeys)
        {
            if (KeyEncryptionOptions.TryParse(previous, out var key)) _byId.TryAdd(Fingerprint(key), key);
        }
    }

    public string CurrentId { get; }
    internal byte[] Current { get; }

    internal bool TryGet(string id, out byte[] key) => _byId.TryGetValue(id, out key!);

    /// <summary>Not secret: a truncated SHA-256 that tells which key-encryption key an element needs.</summary>
    internal static string Fingerprint(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. "ShopAffiliate KEK id:"u8, .. key]).AsSpan(0, 8));

    private static byte[] DevelopmentKey(string file)
    {
        if (File.Exists(file) && KeyEncryptionOptions.TryParse(File.ReadAllText(file), out var existing)) return existing;
        var key = RandomNumberGenerator.GetBytes(32);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(file, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(key));
        }
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DataProtection:KeyEncryptionKey is not set: Development uses a generated key-encryption key kept in {File}. Set DataProtection:KeyEncryptionKey anywhere else; production refuses to start without it.")]
    private static partial void LogDevelopmentKey(ILogger logger, string file);
}

/// <summary>AES-256-GCM under the current key-encryption key; the element names the key's fingerprint, never the key.</summary>
public sealed class KekXmlEncryptor(KeyEncryptionKeys keys) : IXmlEncryptor
{
    internal static readonly byte[] AssociatedData = "ShopAffiliate.DataProtection.KeyRing.v1"u8.ToArray();

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedValue = new byte[12 + 16 + plaintext.Length];
        var nonce = sealedValue.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(keys.Current, 16))
        {
            aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under the key-encryption key named by kek (DataProtection:KeyEncryptionKey) "),
            new XElement("kek", keys.CurrentId),
            new XElement("value", Convert.ToBase64String(sealedValue)));
        return new EncryptedXmlInfo(element, typeof(KekXmlDecryptor));
    }
}

/// <summary>Created by Data Protection from the type name stored in the key ring, with the app's services.</summary>
public sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => Decrypt(services.GetRequiredService<KeyEncryptionKeys>(), encryptedElement);

    internal static XElement Decrypt(KeyEncryptionKeys keys, XElement encryptedElement)
    {
        var id = (string?)encryptedElement.Element("kek") ?? "";
        if (!keys.TryGet(id, out var key)) throw new CryptographicException(KeyRingEncryption.UnknownKekMessage(id));
        var sealedValue = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        if (sealedValue.Length < 28) throw new CryptographicException("A Data Protection key in the key ring is truncated.");
        var plaintext = new byte[sealedValue.Length - 28];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Decrypt(sealedValue.AsSpan(0, 12), sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), plaintext, KekXmlEncryptor.AssociatedData);
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// At start: every key in the ring must be readable with the configured key-encryption keys (a wrong key stops start-up
/// with a message, instead of Data Protection quietly making a new key ring that the other nodes cannot read), and
/// every key not yet under the current key-encryption key is encrypted with it: keys written before encryption existed,
/// and keys under a previous key-encryption key, so a rotation ends once every node has started with the new key.
/// </summary>
public static class KeyRingEncryption
{
    private static readonly XNamespace Dp = "http://schemas.asp.net/2015/03/dataProtection";

    internal static string UnknownKekMessage(string id) =>
        $"DataProtection:KeyEncryptionKey does not open the Data Protection key ring: a key in it is encrypted with the " +
        $"key-encryption key '{id}', which is neither DataProtection:KeyEncryptionKey nor one of " +
        "DataProtection:PreviousKeyEncryptionKeys. Set the key the other nodes use (during a rotation: the new one, with the old in PreviousKeyEncryptionKeys).";

    /// <summary>Returns how many keys were (re-)encrypted.</summary>
    public static async Task<int> CheckAndReencryptAsync(AppDbContext db, KeyEncryptionKeys keys, CancellationToken ct)
    {
        var encryptor = new KekXmlEncryptor(keys);
        var changed = 0;
        foreach (var row in await db.DataProtectionKeys.ToListAsync(ct))
        {
            if (string.IsNullOrEmpty(row.Xml)) continue;
            var xml = XElement.Parse(row.Xml);
            var rewritten = false;
            foreach (var plain in xml.Descendants().Where(e => (string?)e.Attribute(Dp + "requiresEncryption") == "true").ToList())
            {
                plain.ReplaceWith(Wrap(encryptor.Encrypt(plain)));
                rewritten = true;
            }
            foreach (var secret in xml.Descendants(Dp + "encryptedSecret").ToList())
            {
                var inner = secret.Elements().FirstOrDefault();
                if (inner is null || !IsOurs(secret)) continue; // e.g. a certificate-encrypted key from another set-up: left alone
                var id = (string?)inner.Element("kek") ?? "";
                if (!keys.TryGet(id, out _))
                    throw new OptionsValidationException(KeyEncryptionOptions.Section, typeof(KeyEncryptionOptions), [UnknownKekMessage(id)]);
                if (id == keys.CurrentId) continue;
                secret.ReplaceWith(Wrap(encryptor.Encrypt(KekXmlDecryptor.Decrypt(keys, inner))));
                rewritten = true;
            }
            if (!rewritten) continue;
            row.Xml = xml.ToString(SaveOptions.DisableFormatting);
            changed++;
        }
        if (changed > 0) await db.SaveChangesAsync(ct);
        return changed;
    }

    private static bool IsOurs(XElement secret) =>
        ((string?)secret.Attribute("decryptorType"))?.StartsWith(typeof(KekXmlDecryptor).FullName + ",", StringComparison.Ordinal) == true;

    /// <summary>The element Data Protection itself writes around an encrypted secret.</summary>
    private static XElement Wrap(EncryptedXmlInfo info) =>
        new(Dp + "encryptedSecret", new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!), info.EncryptedElement);
}

public static class KeyEncryptionServiceCollectionExtensions
{
    /// <summary>The options, their validation on start, and the key ring's encryptor.</summary>
    public static IServiceCollection AddKeyEncryption(this IServiceCollection services)
    {
        services.AddOptions<KeyEncryptionOptions>().BindConfiguration(KeyEncryptionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyEncryptionOptions>, KeyEncryptionOptionsValidator>();
        services.AddSingleton<KeyEncryptionKeys>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlEncryptor = new KekXmlEncryptor(sp.GetRequiredService<KeyEncryptionKeys>())));
        return services;
    }
}
