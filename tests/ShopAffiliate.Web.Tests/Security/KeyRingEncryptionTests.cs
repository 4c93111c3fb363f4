using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Security;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Security;

/// <summary>The Data Protection key ring at rest: encrypted with the key-encryption key, readable by every node that has it (ADR 0027).</summary>
public abstract class KeyRingEncryptionTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task TheKeyRingInTheDatabaseHoldsNoPlaintextMasterKey()
    {
        ProtectSomething(App);

        var rows = await KeyRowsAsync(App);

        Assert.NotEmpty(rows);
        foreach (var xml in rows)
        {
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            var secret = XElement.Parse(xml).Descendants(XName.Get("encryptedSecret", "http://schemas.asp.net/2015/03/dataProtection")).Single();
            Assert.StartsWith(typeof(KekXmlDecryptor).FullName + ",", (string?)secret.Attribute("decryptorType"));
            Assert.Equal(CurrentKekId(App), (string?)secret.Descendants("kek").Single());
        }
    }

    [Fact]
    public async Task ASecondNodeWithTheSameKeyEncryptionKeyReadsTheFirstNodesStaffCookie()
    {
        var login = await Staff.CreateAsync(App, StaffRole.Manager);
        var (_, cookie) = await Staff.SignedInAsync(App, login);

        await using var other = App.SecondNode();

        await Staff.AssertSignedInAsync(Staff.WithCookie(other, cookie), expected: true);
    }

    [Fact]
    public async Task ANodeWithAnotherKeyEncryptionKeyRefusesToStartAndSaysWhichSetting()
    {
        ProtectSomething(App);

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var wrong = App.SecondNode(new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = TestSecrets.NewKeyEncryptionKey() });
        });

        var validation = Exceptions.Flatten(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, "Expected a configuration failure, got: " + failure);
        Assert.Contains(validation.Failures, f => f.Contains("DataProtection:KeyEncryptionKey does not open the Data Protection key ring", StringComparison.Ordinal)
            && f.Contains(CurrentKekId(App), StringComparison.Ordinal));
        Assert.All(await KeyRowsAsync(App), xml => Assert.Contains(CurrentKekId(App), xml, StringComparison.Ordinal)); // nothing rewritten
    }

    [Fact]
    public async Task ARotationReencryptsTheRingWithTheNewKeyAndThenTheOldKeyIsNoLongerNeeded()
    {
        // A database of its own: this test changes the key ring's encryption.
        await using var first = await TestApp.BootstrappedAsync(App.Provider);
        var protectedBefore = ProtectSomething(first);
        var newKek = TestSecrets.NewKeyEncryptionKey();

        await using (var rotating = first.SecondNode(new Dictionary<string, string?>
        {
            ["DataProtection:KeyEncryptionKey"] = newKek,
            ["DataProtection:PreviousKeyEncryptionKeys:0"] = TestSecrets.KeyEncryptionKey,
        }))
        {
            var newId = CurrentKekId(rotating);
            Assert.NotEqual(CurrentKekId(first), newId);
            Assert.All(await KeyRowsAsync(first), xml => Assert.Contains($"<kek>{newId}</kek>", xml, StringComparison.Ordinal));
        }

        await using var rotated = first.SecondNode(new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = newKek });
        Assert.Equal("stored before the rotation", Unprotect(rotated, protectedBefore));
    }

    [Fact]
    public async Task AKeyStoredInPlaintextBeforeEncryptionExistedIsEncryptedAtTheNextStart()
    {
        await using var first = await TestApp.BootstrappedAsync(App.Provider);
        var protectedBefore = ProtectSomething(first);
        // Write the ring back as Data Protection stored it without an encryptor.
        var keys = first.Services.GetRequiredService<KeyEncryptionKeys>();
        await using (var scope = first.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var row in await db.DataProtectionKeys.ToListAsync())
            {
                var xml = XElement.Parse(row.Xml!);
                foreach (var secret in xml.Descendants(XName.Get("encryptedSecret", "http://schemas.asp.net/2015/03/dataProtection")).ToList())
                    secret.ReplaceWith(KekXmlDecryptor.Decrypt(keys, secret.Elements().Single()));
                row.Xml = xml.ToString();
            }
            await db.SaveChangesAsync();
        }
        Assert.All(await KeyRowsAsync(first), xml => Assert.Contains("<masterKey", xml, StringComparison.Ordinal));

        await using var next = first.SecondNode();

        Assert.All(await KeyRowsAsync(first), xml => Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal));
        Assert.Equal("stored before the rotation", Unprotect(next, protectedBefore));
    }

    /// <summary>Protecting the first payload makes Data Protection create its key and store it.</summary>
    private static string ProtectSomething(TestApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyRingEncryptionTests").Protect("stored before the rotation");

    private static string Unprotect(TestApp app, string payload) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyRingEncryptionTests").Unprotect(payload);

    private static string CurrentKekId(TestApp app) => app.Services.GetRequiredService<KeyEncryptionKeys>().CurrentId;

    private static async Task<List<string>> KeyRowsAsync(TestApp app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }
}

public sealed class KeyRingEncryptionTestsOnSqlite(SqliteApp fixture) : KeyRingEncryptionTests(fixture), IClassFixture<SqliteApp>;

public sealed class KeyRingEncryptionTestsOnPostgres(PostgresApp fixture) : KeyRingEncryptionTests(fixture), IClassFixture<PostgresApp>;
