using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Communication;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Web.Tests.Email;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Communication;

/// <summary>An approved affiliate and a paid order of theirs, through the API and the engine, for the mail tests.</summary>
public static class CommissionMailScenario
{
    public static async Task<(Guid Id, string Email, string Code)> AffiliateAsync(TestApp app, string name, string? language)
    {
        var api = app.ApiClient();
        Assert.True((await api.PutAsJsonAsync("/api/v1/settings/program", new { defaultCommissionRate = 0.1m })).IsSuccessStatusCode);
        var code = $"{name.ToLowerInvariant()}{Guid.NewGuid():N}"[..12];
        var email = $"{code}@example.com";
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, referralCode = code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { })).StatusCode);
        var ws = await new Scenario(app).WorkspaceIdAsync();
        await using var scope = app.Scope(ws);
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Affiliates.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Language, language));
        return (id, email, code);
    }

    public static async Task<(Guid Id, decimal Amount)> OrderAsync(TestApp app, string code, decimal amount)
    {
        var ws = await new Scenario(app).WorkspaceIdAsync();
        await using var scope = app.Scope(ws);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var shop = await db.Shops.FirstOrDefaultAsync();
        if (shop is null)
        {
            db.Shops.Add(shop = new Shop { WorkspaceId = ws, Platform = ShopPlatform.Shopify, Domain = $"mail-{Guid.NewGuid():N}"[..12] + ".myshopify.com", Currency = "USD", Name = "Shop" });
            await db.SaveChangesAsync();
        }
        var number = $"{Guid.NewGuid():N}"[..10];
        var at = DateTime.UtcNow.AddMinutes(-5);
        await scope.ServiceProvider.GetRequiredService<OrderProcessor>().ApplyOrderAsync(
            Scenario.Order(new ShopId(shop.Id), number, at, OrderState.Paid, amount, [new ReferralTouch(code, null, at.AddMinutes(-1), TouchSource.CartAttribute)]), default);
        var commission = await db.Commissions.Where(c => db.Orders.Any(o => o.Id == c.OrderId && o.ExternalId == number)).Select(c => new { c.Id, c.Amount }).SingleAsync();
        return (commission.Id, commission.Amount);
    }
}

/// <summary>The outbox's fixture (real SMTP sink, fast retries) with the commission-earned sender on, every 0.2 s.</summary>
public abstract class CommissionMailFixture(Db provider) : OutboxFixture(provider)
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mail:CommissionEarned"] = "true",
        ["Mail:CommissionEarnedSeconds"] = "0.2",
        ["Mail:CommissionEarnedSettleSeconds"] = "0.5",
    };
}

public sealed class SqliteCommissionMailFixture() : CommissionMailFixture(Db.Sqlite);

public sealed class PostgresCommissionMailFixture() : CommissionMailFixture(Db.Postgres);

/// <summary>
/// "You earned a commission" is mailed once per new commission, by a sender that reads the Commissions table (the
/// engine is not changed): in the affiliate's language, not to one who turned it off, never twice across a restart or
/// two nodes.
/// </summary>
public abstract class CommissionEarnedMailTests(CommissionMailFixture fixture)
{
    private TestApp App => fixture.App;

    private Task<(Guid Id, string Email, string Code)> AffiliateAsync(string name, string? language) => CommissionMailScenario.AffiliateAsync(App, name, language);

    private async Task<decimal> OrderAsync(string code, decimal amount) => (await CommissionMailScenario.OrderAsync(App, code, amount)).Amount;

    private List<MimeKit.MimeMessage> Earned(string email) =>
        [.. fixture.Smtp.MessagesTo(email).Where(m => m.Subject?.StartsWith("You earned", StringComparison.Ordinal) == true)];

    private Task<int> QueuedAsync(string email) => WithDbAsync(db => db.OutboxMessages.IgnoreQueryFilters().CountAsync(m => m.Recipient == email && m.Topic == "CommissionEarned"));

    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> use)
    {
        await using var scope = App.Scope();
        return await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task EachNewCommissionIsMailedOnceInTheAffiliatesLanguageAndNotToOneWhoTurnedItOff()
    {
        var dane = await AffiliateAsync("Dorte", "da");
        var english = await AffiliateAsync("Emma", "en");
        var off = await AffiliateAsync("Otto", null);
        var ws = await new Scenario(App).WorkspaceIdAsync();
        await using (var scope = App.Scope(ws))
        {
            await scope.ServiceProvider.GetRequiredService<NotificationPreferenceService>()
                .SetAsync(off.Id, off.Email, new NotificationChoice(true, CommissionEarned: false, true), default);
        }

        var daneAmount = await OrderAsync(dane.Code, 1234.5m);
        var englishAmount = await OrderAsync(english.Code, 80m);
        await OrderAsync(off.Code, 50m);

        var danish = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(dane.Email).ToList()
            .Where(m => m.Subject?.StartsWith("Du har tjent", StringComparison.Ordinal) == true).ToList()), m => m.Count > 0, "the Danish mail"));
        Assert.Equal($"Du har tjent {daneAmount.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("da-DK"))} USD hos Test Program", danish.Subject);
        Assert.True(danish.Headers.Contains("List-Unsubscribe")); // non-essential
        var mail = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(english.Email)
            .Where(m => m.Subject?.StartsWith("You earned", StringComparison.Ordinal) == true).ToList()), m => m.Count > 0, "the English mail"));
        Assert.Equal($"You earned {englishAmount.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))} USD with Test Program", mail.Subject);

        // Passes keep running: still one each, and none to the one who turned it off.
        await using (var scope = App.Scope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CommissionEarnedMails>().RunAsync(default));
        Assert.Equal((1, 1, 0), (await QueuedAsync(dane.Email), await QueuedAsync(english.Email), await QueuedAsync(off.Email)));
        Assert.DoesNotContain(fixture.Smtp.MessagesTo(off.Email), m => m.Subject?.Contains("earned", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ACommissionIsMailedOnceAcrossARestartAndTwoNodes()
    {
        var ann = await AffiliateAsync("Anne", "en");
        await OrderAsync(ann.Code, 100m);
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(ann.Email).Count(m => m.Subject?.StartsWith("You earned", StringComparison.Ordinal) == true)),
            n => n == 1, "the first mail");
        // Restarted once the outbox has recorded it sent (a mail handed over but not yet recorded is the outbox's own
        // at-least-once case, with the same Message-ID; OutboxTests cover it).
        await Eventually.HoldsAsync(() => WithDbAsync(db => db.OutboxMessages.IgnoreQueryFilters()
            .CountAsync(m => m.Recipient == ann.Email && m.Topic == "CommissionEarned" && m.Status == ShopAffiliate.Core.Outbox.OutboxStatus.Sent)), n => n == 1, "the first mail recorded as sent");

        await fixture.RestartAsync();
        await OrderAsync(ann.Code, 60m);
        await using (var second = App.SecondNode())
        {
            // Both nodes' senders run, and each also runs a pass of its own at the same moment.
            await using var a = App.Scope();
            await using var b = second.Scope();
            await Task.WhenAll(
                a.ServiceProvider.GetRequiredService<CommissionEarnedMails>().RunAsync(default),
                b.ServiceProvider.GetRequiredService<CommissionEarnedMails>().RunAsync(default));
            await Eventually.HoldsAsync(() => Task.FromResult(Earned(ann.Email).Count), n => n >= 2, "the second commission's mail");
        }
        await using (var scope = App.Scope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CommissionEarnedMails>().RunAsync(default));
        Assert.Equal(2, await QueuedAsync(ann.Email));
        var earned = Earned(ann.Email);
        Assert.Equal(2, earned.Count);
        Assert.Equal(2, earned.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task NewTermsAndAChangedRateAreMailedOnceToTheAffectedAffiliatesInTheirLanguage()
    {
        var ws = await new Scenario(App).WorkspaceIdAsync();
        var dane = await AffiliateAsync("Dagny", "da");
        var staff = (await Staff.SignedInAsync(App, await Staff.CreateAsync(App, ShopAffiliate.Core.Workspaces.StaffRole.Owner))).Browser;
        Dictionary<string, string> Form(string terms) => new()
        {
            ["ws"] = ws.ToString(), ["Input.Pitch"] = "Pitch", ["Input.Terms"] = terms, ["Input.AcceptingApplications"] = "true",
            ["Input.Questions"] = "", ["Input.AutoApprove"] = "Never",
        };
        var url = $"/admin/program-page?ws={ws}";
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(staff, url, Form($"First terms {Guid.NewGuid():N}"))).StatusCode);
        var version = await WithDbAsync(db => db.ProgramPages.IgnoreQueryFilters().Where(p => p.WorkspaceId == ws).Select(p => p.TermsVersion).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.SubmitAsync(staff, url, Form($"New terms {Guid.NewGuid():N}"))).StatusCode);
        var terms = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(dane.Email).Where(m => m.Subject == "Vilkårene hos Test Program er ændret").ToList()),
            m => m.Count > 0, "the terms mail"));
        Assert.Contains($"version {version + 1}", terms.TextBody, StringComparison.Ordinal);
        Assert.False(terms.Headers.Contains("List-Unsubscribe")); // essential: no unsubscribe

        // The groups page's call: the default group's members (those without a group too), once per change.
        var group = await WithDbAsync(db => db.CommissionGroups.IgnoreQueryFilters().Where(g => g.WorkspaceId == ws && g.IsDefault).Select(g => (Guid?)g.Id).FirstOrDefaultAsync());
        await using (var scope = App.Scope(ws))
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (group is null)
            {
                var created = new ShopAffiliate.Core.Commissions.CommissionGroup { WorkspaceId = ws, Name = "Standard", IsDefault = true, RulesJson = "[]" };
                db.CommissionGroups.Add(created);
                await db.SaveChangesAsync();
                group = created.Id;
            }
            var mails = scope.ServiceProvider.GetRequiredService<ProgramChangeMails>();
            Assert.True(await mails.CommissionRateChangedAsync(group.Value, "10 %", "12 %", "rev-2", default) >= 1);
            await db.SaveChangesAsync();
            Assert.Equal(0, await mails.CommissionRateChangedAsync(group.Value, "10 %", "12 %", "rev-2", default)); // the same change again
        }
        var rate = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(dane.Email).Where(m => m.Subject == "Din provision hos Test Program er ændret").ToList()),
            m => m.Count > 0, "the rate mail"));
        Assert.Contains("fra 10 % til 12 %", rate.TextBody, StringComparison.Ordinal);

        // Saving the group with another rate (the groups page and API share CommissionGroupService) mails the change.
        await using (var scope = App.Scope(ws))
        {
            var groups = scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Commissions.CommissionGroupService>();
            ShopAffiliate.Core.Commissions.GroupRequest Rate(decimal value) => new("Standard", true, 0m, null,
                [new ShopAffiliate.Core.Commissions.RuleDto("all", null, ShopAffiliate.Core.Engine.RuleKind.Percent, value, null, null, null)]);
            await groups.UpdateAsync(group.Value, Rate(0.15m), default);
            await groups.UpdateAsync(group.Value, Rate(0.15m), default); // the same rules again: no mail
        }
        var changed = Assert.Single(await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(dane.Email)
                .Where(m => m.Subject == "Din provision hos Test Program er ændret" && (m.TextBody ?? "").Contains("til 15 %", StringComparison.Ordinal)).ToList()),
            m => m.Count > 0, "the rate mail of the saved group"));
        Assert.DoesNotContain("til 12 %", changed.TextBody, StringComparison.Ordinal);
    }
}

public sealed class CommissionEarnedMailOnSqlite(SqliteCommissionMailFixture fixture) : CommissionEarnedMailTests(fixture), IClassFixture<SqliteCommissionMailFixture>;

public sealed class CommissionEarnedMailOnPostgres(PostgresCommissionMailFixture fixture) : CommissionEarnedMailTests(fixture), IClassFixture<PostgresCommissionMailFixture>;
