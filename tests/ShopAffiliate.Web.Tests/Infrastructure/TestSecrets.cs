using System.Security.Cryptography;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// Secrets the tests hand to the app, each recorded in <c>{logs}/secrets.txt</c> (one a line) so that
/// <c>scripts/secret-scan.sh</c> can look for every one of them in the logs the test apps wrote.
/// </summary>
public static class TestSecrets
{
    private static readonly Lock Gate = new();

    /// <summary><c>$SA_ARTIFACTS/logs</c> under the test command; a folder of this run's own otherwise.</summary>
    public static string LogFolder { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("SA_ARTIFACTS") is { Length: > 0 } artifacts
            ? Path.Combine(artifacts, "logs")
            : Path.Combine(Path.GetTempPath(), $"sa-test-logs-{Environment.ProcessId}")).FullName;

    /// <summary>The fixed secrets of the test helpers and fakes; values a test makes itself are recorded where they are made.</summary>
    static TestSecrets()
    {
        foreach (var secret in (string[])[
            TestApp.ApiKey, TestApp.OwnerPassword, Staff.Password,
            // The affiliates' and set-up pages' passwords (Portal.PortalApp, Isolation.TwoPrograms, the browser tests,
            // AdminSetupTests and the WooCommerce connection chain).
            Portal.PortalApp.AffiliatePassword, "a-long-passphrase", "a-long-enough-password",
            Shopify.FakeShopify.ApiSecret, WooCommerce.FakeWooCommerce.ConsumerKey, WooCommerce.FakeWooCommerce.ConsumerSecret,
            // The offline access tokens the Shopify fakes hand out.
            "shpat_new", "shpat_offline", "shpat_forever", "shpat_secret", "shpat_coupon", "shpat_backfill"])
        {
            Record(secret);
        }
    }

    /// <summary>The key-encryption key every test app of this run shares (so second nodes and restarts read the key ring).</summary>
    public static string KeyEncryptionKey { get; } = NewKeyEncryptionKey();

    public static string NewKeyEncryptionKey() => Record(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    /// <summary>Remembers <paramref name="secret"/> for the scan and returns it.</summary>
    public static string Record(string secret)
    {
        lock (Gate) File.AppendAllText(Path.Combine(LogFolder, "secrets.txt"), secret + "\n");
        return secret;
    }
}
