using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Affiliates;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Portal;

/// <summary>
/// The bootstrapped app with its mail (the outbox's pickup-folder transport) in a folder of its own, a trusted country header, and small
/// per-client limits on the affiliate side's forms (tests name their client addresses, so each has its own budget).
/// </summary>
public abstract class PortalApp(Db provider) : IAsyncLifetime
{
    public const int ApplyLimit = 4;
    public const int SignInLimit = 4;
    public const int EmailLimit = 2;

    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), $"sa-mail-{Guid.NewGuid():N}");
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.BootstrappedAsync(provider, new Dictionary<string, string?>
    {
        ["Smtp:PickupFolder"] = MailFolder,
        ["App:PublicBaseUrl"] = "https://affiliates.example.com",
        ["Screening:TrustedCountryHeader"] = "CF-IPCountry",
        ["RateLimits:Apply:PermitLimit"] = ApplyLimit.ToString(),
        ["RateLimits:PortalSignIn:PermitLimit"] = SignInLimit.ToString(),
        ["RateLimits:PortalEmail:PermitLimit"] = EmailLimit.ToString(),
    });

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (Directory.Exists(MailFolder)) Directory.Delete(MailFolder, recursive: true);
    }

    public async Task<Workspace> WorkspaceAsync()
    {
        var id = await new Scenario(App).WorkspaceIdAsync();
        await using var scope = App.Scope(id);
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Id == id);
    }

    /// <summary>Sets the bootstrapped program's page (created when missing) as a test needs it.</summary>
    public async Task SetPageAsync(Action<ProgramPage> change)
    {
        var id = await new Scenario(App).WorkspaceIdAsync();
        await using var scope = App.Scope(id);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var page = await db.ProgramPages.FirstOrDefaultAsync();
        if (page is null)
        {
            page = new ProgramPage { WorkspaceId = id };
            db.ProgramPages.Add(page);
        }
        change(page);
        await db.SaveChangesAsync();
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> use, Guid? workspaceId = null)
    {
        await using var scope = App.Scope(workspaceId ?? await new Scenario(App).WorkspaceIdAsync());
        return await use(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>
    /// The kinds of mail enqueued to <paramref name="address"/> in any program. Enqueueing happens in the request's own
    /// SaveChanges, so when a request has answered, a kind missing here was never going to be sent.
    /// </summary>
    public async Task<List<string>> QueuedMailAsync(string address)
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.IgnoreQueryFilters()
            .Where(m => m.Recipient == address).Select(m => m.Topic).ToListAsync();
    }

    public static string NewEmail(string who = "ann", string domain = "example.com") => $"{who}.{Guid.NewGuid():N}@{domain}";

    public async Task<HttpResponseMessage> ApplyAsync(HttpClient client, string email, IDictionary<string, string>? extra = null, string name = "Ann Affiliate")
    {
        var slug = (await WorkspaceAsync()).Slug;
        var fields = new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Email"] = email };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) fields[k] = v;
        return await Forms.SubmitAsync(client, $"/p/{slug}/apply", fields);
    }

    public async Task<Affiliate> AffiliateAsync(string email) =>
        await WithDbAsync(db => db.Affiliates.AsNoTracking().SingleAsync(a => a.Email == email));

    /// <summary>A signed-in owner's browser.</summary>
    public async Task<HttpClient> StaffAsync() => (await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Owner))).Browser;

    public async Task<HttpResponseMessage> DecideAsync(HttpClient staff, Guid affiliateId, bool approve, string? reason = null)
    {
        var ws = (await WorkspaceAsync()).Id;
        var fields = new Dictionary<string, string> { ["affiliateId"] = affiliateId.ToString(), ["ws"] = ws.ToString(), ["status"] = "Pending" };
        if (reason is not null) fields["reason"] = reason;
        return await Forms.SubmitAsync(staff, $"/admin/applications?ws={ws}", fields, $"/admin/applications?handler={(approve ? "Approve" : "Reject")}");
    }

    /// <summary>Apply, approved by staff, the welcome link opened and a password chosen: a signed-in portal browser.</summary>
    public async Task<(HttpClient Portal, Affiliate Affiliate)> SignedInAffiliateAsync(string? email = null)
    {
        email ??= NewEmail();
        Assert.Equal(HttpStatusCode.Redirect, (await ApplyAsync(Staff.Client(App), email)).StatusCode);
        var affiliate = await AffiliateAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, (await DecideAsync(await StaffAsync(), affiliate.Id, approve: true)).StatusCode);
        var welcome = Mailbox.Link(await Mailbox.SingleAsync(MailFolder, email, "Welcome to"), "/portal/welcome");
        var portal = Staff.Client(App);
        var done = await Forms.SubmitAsync(portal, welcome, new Dictionary<string, string> { ["Password"] = AffiliatePassword }, welcome);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        return (portal, await AffiliateAsync(email));
    }

    /// <summary>Another program on the same app, with an owner of its own.</summary>
    public async Task<Workspace> OtherProgramAsync(string name)
    {
        await using var scope = App.Scope();
        return (await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(name, "EUR", NewEmail("owner"), "another-password-1")).Workspace;
    }

    public const string AffiliatePassword = "an-affiliate-passphrase";
}

public sealed class PortalAppOnSqlite() : PortalApp(Db.Sqlite);

public sealed class PortalAppOnPostgres() : PortalApp(Db.Postgres);
