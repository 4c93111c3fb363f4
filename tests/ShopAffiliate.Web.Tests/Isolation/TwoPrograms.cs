using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;
using ShopAffiliate.Web.Tests.Shopify;

namespace ShopAffiliate.Web.Tests.Isolation;

/// <summary>What one program holds, by id, so a route can be filled with the other program's values.</summary>
public sealed record ProgramIds
{
    public required Guid Workspace { get; init; }
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public required string ApiKey { get; init; }
    public required Guid ApiKeyId { get; init; }
    public required Guid Owner { get; init; }
    public required Guid Shop { get; init; }
    public required string ShopDomain { get; init; }
    public required Guid WooShop { get; init; }
    public required Guid StoreAdmin { get; init; }

    /// <summary>The owner's staff row, and an open staff invitation (the staff page's ids).</summary>
    public Guid StaffMember { get; init; }
    public Guid Invitation { get; init; }
    public required Guid Group { get; init; }
    public required Guid Affiliate { get; init; }
    public required string AffiliateEmail { get; init; }
    public required Guid Applicant { get; init; }
    public required Guid Link { get; init; }
    public required Guid Coupon { get; init; }
    public required Guid Order { get; init; }
    public required Guid Commission { get; init; }
    public required Guid Batch { get; init; }
    public required Guid Dispute { get; init; }
    public required Guid WebhookEndpoint { get; init; }
    public required long WebhookDelivery { get; init; }
    public required Guid Creative { get; init; }
    public required Guid CreativeFile { get; init; }
    public required Guid Campaign { get; init; }
    public required string Month { get; init; }
    public required Guid Announcement { get; init; }

    /// <summary>Strings only this program's data contains: one of them in an answer to the other program is a leak.</summary>
    public List<string> Markers { get; } = [];
}

/// <summary>
/// One app (per test class) holding two programs, A (the bootstrapped one) and B, each with a Shopify and a WooCommerce
/// shop, a default group, approved affiliates with a link and a coupon, an order with commissions, a payout batch,
/// a pending application, goals, an email-template override, an API key, staff, a store admin, and an affiliate who
/// has a portal account. Built through the public API and the app's services, as a merchant's program is.
/// </summary>
public abstract class TwoPrograms(Db provider) : IAsyncLifetime
{
    public const string StaffPassword = "a-staff-passphrase";
    public const string AffiliatePassword = "an-affiliate-passphrase";

    public TestApp App { get; private set; } = null!;
    public ProgramIds A { get; private set; } = null!;
    public ProgramIds B { get; private set; } = null!;

    /// <summary>A's owner, signed in to the admin (keeps its cookies, as a browser does).</summary>
    public HttpClient AStaff { get; private set; } = null!;

    /// <summary>A's affiliate, signed in to the portal.</summary>
    public HttpClient AAffiliate { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
        {
            ["Shopify:ApiKey"] = FakeShopify.ApiKey,
            ["Shopify:ApiSecret"] = FakeShopify.ApiSecret,
            // Nothing listens there: a coupon push to the seeded Shopify shop fails fast and is recorded as failed.
            ["Shopify:ShopBaseUrl"] = "http://127.0.0.1:9",
            ["App:PublicBaseUrl"] = "https://affiliates.example.com",
        });
        var aWorkspace = await new Scenario(App).WorkspaceIdAsync();
        ProvisionedWorkspace b;
        await using (var scope = App.Scope())
        {
            b = await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
                .CreateAsync($"Bravo {Guid.NewGuid():N}"[..14], "USD", $"bravo.owner.{Guid.NewGuid():N}@example.com", StaffPassword);
        }
        A = await SeedAsync("alpha", aWorkspace, TestApp.ApiKey, ownerEmail: TestApp.OwnerEmail);
        B = await SeedAsync("bravo", b.Workspace.Id, b.ApiKey, ownerEmail: b.Owner.Email!);
        await App.Services.GetRequiredService<ShopAffiliate.Core.Reports.RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(120));

        AStaff = (await Staff.SignedInAsync(App, new StaffLogin(A.Owner, TestApp.OwnerEmail, TestApp.OwnerPassword))).Browser;
        AAffiliate = Browser();
        var signIn = await Forms.SubmitAsync(AAffiliate, "/portal/login",
            new Dictionary<string, string> { ["Input.Email"] = A.AffiliateEmail, ["Input.Password"] = AffiliatePassword });
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, "A's affiliate could not sign in to the portal: " + (int)signIn.StatusCode);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A browser-like client (cookies kept, redirects not followed) from an address of its own.</summary>
    public HttpClient Browser() => Staff.Client(App);

    /// <summary>A client that follows no redirect and keeps no cookie, for bearer credentials.</summary>
    public HttpClient Bare() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>An App Bridge session token for <paramref name="program"/>'s Shopify shop, signed with the app's secret, valid now.</summary>
    public static string SessionToken(ProgramIds program)
    {
        var claims = SessionTokens.Claims(program.ShopDomain);
        var now = DateTimeOffset.UtcNow;
        (claims["exp"], claims["nbf"], claims["iat"]) = (now.AddMinutes(1).ToUnixTimeSeconds(), now.AddSeconds(-1).ToUnixTimeSeconds(), now.AddSeconds(-1).ToUnixTimeSeconds());
        claims["jti"] = Guid.NewGuid().ToString();
        return SessionTokens.Create(claims);
    }

    private async Task<ProgramIds> SeedAsync(string prefix, Guid workspaceId, string apiKey, string ownerEmail)
    {
        var api = App.ApiClient(apiKey);
        var unique = Guid.NewGuid().ToString("N")[..8];
        var month = DateTime.UtcNow.ToString("yyyy-MM");
        Ok(await api.PutAsJsonAsync("/api/v1/settings/program", new { payoutThreshold = 1m, defaultCommissionRate = 0.1m }));

        var (shop, shopDomain, wooShop, storeAdmin, owner, staffMember, invitation) = await WithDbAsync(workspaceId, async db =>
        {
            var domain = $"{prefix}-{unique}.myshopify.com";
            var shopify = new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.Shopify, Domain = domain, Currency = "USD", Name = domain };
            var woo = new Shop { WorkspaceId = workspaceId, Platform = ShopPlatform.WooCommerce, Domain = $"{prefix}-{unique}.example.com", Currency = "USD", Name = $"{prefix} woo" };
            db.Shops.AddRange(shopify, woo);
            var ownerId = await db.Users.Where(u => u.NormalizedEmail == ownerEmail.ToUpperInvariant()).Select(u => u.Id).SingleAsync();
            var admin = new StoreAdmin { WorkspaceId = workspaceId, ShopId = woo.Id, UserId = ownerId, CreatedByLaunch = false };
            db.StoreAdmins.Add(admin);
            var page = await db.ProgramPages.FirstOrDefaultAsync();
            if (page is null) db.ProgramPages.Add(page = new ProgramPage { WorkspaceId = workspaceId });
            (page.AcceptingApplications, page.AutoApprove, page.QuestionsJson) = (true, AutoApproveRule.Never, "[]");
            var invited = new StaffInvitation { WorkspaceId = workspaceId, Email = $"{prefix}.invited.{unique}@example.com", Role = StaffRole.Manager,
                TokenHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray())), ExpiresAt = DateTime.UtcNow.AddDays(7) };
            db.StaffInvitations.Add(invited);
            var ownerRow = await db.StaffMembers.Where(m => m.UserId == ownerId).Select(m => m.Id).SingleAsync();
            await db.SaveChangesAsync();
            return (shopify.Id, domain, woo.Id, admin.Id, ownerId, ownerRow, invited.Id);
        });

        var group = await CreatedAsync(api.PostAsJsonAsync("/api/v1/groups", new
        {
            name = $"{prefix} plan {unique}", isDefault = true, secondTierRate = 0.05m,
            rules = new[] { new { scope = "all", kind = "Percent", value = 0.1m } },
        }));
        var affiliateEmail = $"{prefix}.affiliate.{unique}@example.com";
        var affiliate = await ApprovedAffiliateAsync(api, $"{prefix} Affiliate {unique}", affiliateEmail, $"{prefix}{unique}");
        var second = await ApprovedAffiliateAsync(api, $"{prefix} Second {unique}", $"{prefix}.second.{unique}@example.com", $"{prefix}2{unique}", parent: affiliate);
        var link = await CreatedAsync(api.PostAsJsonAsync("/api/v1/links", new { affiliateId = affiliate, destination = $"https://{shopDomain}/products/mug" }));
        var coupon = await CreatedAsync(api.PostAsJsonAsync("/api/v1/coupons", new { code = $"{prefix.ToUpperInvariant()}{unique}", discountType = "Percentage", amount = 10m, affiliateId = affiliate }));

        // An order from the second affiliate: a commission for them and a second-tier one for their recruiter.
        var at = DateTime.UtcNow.AddHours(-2);
        await WithServiceAsync<OrderProcessor>(workspaceId, p => p.ApplyOrderAsync(Scenario.Order(new ShopId(shop), $"{prefix}-{unique}-1", at, OrderState.Paid, 200m,
            [new ReferralTouch($"{prefix}2{unique}", null, at.AddMinutes(-5), TouchSource.CartAttribute)]), default));
        var (order, commissions) = await WithDbAsync(workspaceId, async db =>
            (await db.Orders.Select(o => o.Id).SingleAsync(), await db.Commissions.OrderBy(c => c.Tier).Select(c => c.Id).ToListAsync()));
        Assert.Equal(2, commissions.Count);
        Ok(await api.PostAsJsonAsync($"/api/v1/commissions/{commissions[0]}/approve", new { reason = "Checked" }));
        var batch = await CreatedAsync(api.PostAsJsonAsync("/api/v1/payouts/batches", new { currency = "USD" }));

        Ok(await api.PutAsJsonAsync("/api/v1/goals", new { month, goals = new[] { new { metric = "orders", target = 10m } } }));
        var templateSubject = $"{prefix} payout subject {unique}";
        Ok(await api.PutAsJsonAsync("/api/v1/email-templates/PayoutSent/en", new { subject = templateSubject, body = $"{prefix} payout body {unique}" }));

        var opened = await api.PostAsJsonAsync("/api/v1/disputes",
            new { affiliateId = affiliate, orderNumber = $"{prefix}-missing-{unique}", orderDate = DateOnly.FromDateTime(at), note = $"{prefix} claim {unique}" });
        Ok(opened);
        var dispute = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dispute").GetProperty("id").GetGuid();

        // Disabled, so nothing is ever sent to its (public, unreachable here) address.
        var hookCreated = await api.PostAsJsonAsync("/api/v1/webhook-endpoints",
            new { url = $"https://example.com/hooks/{prefix}-{unique}", eventTypes = new[] { "affiliate.*" }, enabled = false });
        Assert.Equal(HttpStatusCode.Created, hookCreated.StatusCode);
        var hookJson = await hookCreated.Content.ReadFromJsonAsync<JsonElement>();
        var webhookEndpoint = hookJson.GetProperty("endpoint").GetProperty("id").GetGuid();
        TestSecrets.Record(hookJson.GetProperty("secret").GetString()!);
        // A test event: queued, then given up without sending (the endpoint is disabled); the log's row is B's delivery.
        var tested = await api.PostAsync($"/api/v1/webhook-endpoints/{webhookEndpoint}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, tested.StatusCode);
        var webhookDelivery = (await tested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var creativeForm = new MultipartFormDataContent
        {
            { new StringContent("Banner"), "kind" }, { new StringContent($"{prefix} banner {unique}"), "name" },
            { new ByteArrayContent(ShopAffiliate.Web.Tests.Creatives.TestImages.Png(prefix.Length * 10, 50)), "file", "banner.png" },
        };
        var creativeCreated = await api.PostAsync("/api/v1/creatives", creativeForm);
        Ok(creativeCreated);
        var creativeJson = await creativeCreated.Content.ReadFromJsonAsync<JsonElement>();
        var (creative, creativeFile) = (creativeJson.GetProperty("id").GetGuid(), creativeJson.GetProperty("files")[0].GetProperty("id").GetGuid());
        var campaign = await CreatedAsync(api.PostAsJsonAsync("/api/v1/campaigns", new { name = $"{prefix} campaign {unique}" }));
        Ok(await api.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/creatives", new { creativeIds = new[] { creative } }));
        Ok(await api.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/coupons", new { couponIds = new[] { coupon } }));

        var announced = await api.PostAsJsonAsync("/api/v1/announcements", new { subject = $"{prefix} news {unique}", body = $"{prefix} announcement {unique}" });
        Assert.Equal(HttpStatusCode.Created, announced.StatusCode);
        var announcement = (await announced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var slug = await WithDbAsync(workspaceId, db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Slug).SingleAsync());
        var applicantEmail = $"{prefix}.applicant.{unique}@example.com";
        var applied = await Forms.SubmitAsync(Browser(), $"/p/{slug}/apply",
            new Dictionary<string, string> { ["Input.Name"] = $"{prefix} Applicant {unique}", ["Input.Email"] = applicantEmail });
        Assert.True(applied.StatusCode == HttpStatusCode.Redirect, $"Applying to {prefix}: {(int)applied.StatusCode}");

        // The first affiliate's portal account (what the welcome link does: a confirmed user tied to the affiliate).
        await using (var scope = App.Scope(workspaceId))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = affiliateEmail, Email = affiliateEmail, EmailConfirmed = true };
            var created = await users.CreateAsync(user, AffiliatePassword);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Affiliates.SingleAsync(a => a.Id == affiliate)).UserId = user.Id;
            await db.SaveChangesAsync();
        }

        var (name, applicant, apiKeyId, codes) = await WithDbAsync(workspaceId, async db => (
            await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(),
            await db.Affiliates.Where(a => a.Email == applicantEmail).Select(a => a.Id).SingleAsync(),
            await db.ApiKeys.Select(k => k.Id).FirstAsync(),
            await db.TrackingLinks.Select(l => l.Code).ToListAsync()));
        var ids = new ProgramIds
        {
            Workspace = workspaceId, Slug = slug, Name = name, ApiKey = apiKey, ApiKeyId = apiKeyId, Owner = owner, Shop = shop,
            ShopDomain = shopDomain, WooShop = wooShop, StoreAdmin = storeAdmin, StaffMember = staffMember, Invitation = invitation, Group = group, Affiliate = affiliate,
            AffiliateEmail = affiliateEmail, Applicant = applicant, Link = link, Coupon = coupon, Order = order,
            Commission = commissions[0], Batch = batch, Dispute = dispute, WebhookEndpoint = webhookEndpoint, WebhookDelivery = webhookDelivery, Creative = creative, CreativeFile = creativeFile, Campaign = campaign, Month = month,
            Announcement = announcement,
        };
        ids.Markers.AddRange([name, slug, affiliateEmail, applicantEmail, $"{prefix}{unique}", $"{prefix}2{unique}", templateSubject, shopDomain, $"{prefix} banner {unique}", $"{prefix} campaign {unique}", .. codes,
            .. new[] { workspaceId, group, affiliate, second, applicant, link, coupon, order, batch, dispute, webhookEndpoint, shop, wooShop, storeAdmin, staffMember, invitation, apiKeyId, creative, creativeFile, campaign }.Select(g => g.ToString()),
            .. commissions.Select(c => c.ToString()), $"{prefix} news {unique}", $"{prefix} announcement {unique}", announcement.ToString()]);
        return ids;
    }

    private static async Task<Guid> ApprovedAffiliateAsync(HttpClient api, string name, string email, string code, Guid? parent = null)
    {
        var id = await CreatedAsync(api.PostAsJsonAsync("/api/v1/affiliates", new { name, email, referralCode = code, parentAffiliateId = parent }));
        Ok(await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "Looks good" }));
        return id;
    }

    private static async Task<Guid> CreatedAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Ok(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task WithServiceAsync<TService>(Guid workspaceId, Func<TService, Task> use) where TService : notnull
    {
        await using var scope = App.Scope(workspaceId);
        await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<T> WithDbAsync<T>(Guid workspaceId, Func<AppDbContext, Task<T>> use)
    {
        await using var scope = App.Scope(workspaceId);
        return await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static void Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
}

public sealed class TwoProgramsOnSqlite() : TwoPrograms(Db.Sqlite);

public sealed class TwoProgramsOnPostgres() : TwoPrograms(Db.Postgres);
