using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Reports;

/// <summary>A program of its own (workspace, API key) on a shared app, so tests of one class do not see each other's figures.</summary>
public sealed class ReportProgram
{
    private readonly TestApp _app;

    private ReportProgram(TestApp app, Guid workspaceId, string apiKey)
    {
        _app = app;
        WorkspaceId = workspaceId;
        Api = app.ApiClient(apiKey);
    }

    public Guid WorkspaceId { get; }
    public HttpClient Api { get; }
    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..8];

    public static async Task<ReportProgram> CreateAsync(TestApp app, string timeZone = "Europe/Copenhagen")
    {
        await using var scope = app.Scope();
        var provisioned = await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync("Reports " + Guid.NewGuid().ToString("N")[..6], "DKK", $"owner.{Guid.NewGuid():N}@example.com", "another-password-1");
        var program = new ReportProgram(app, provisioned.Workspace.Id, provisioned.ApiKey);
        var settings = await program.Api.PutAsJsonAsync("/api/v1/settings/program", new { timeZone, payoutThreshold = 1m, defaultCommissionRate = 0.1m });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        return program;
    }

    public async Task<ShopId> ShopAsync(string name, string currency)
    {
        await using var scope = _app.Scope(WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var shop = new Shop { WorkspaceId = WorkspaceId, Platform = ShopPlatform.Shopify, Domain = $"{name}-{Suffix}.myshopify.com", Currency = currency, Name = name };
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        return new ShopId(shop.Id);
    }

    public async Task<(Guid Id, string Code)> AffiliateAsync(string name)
    {
        var code = $"{name.ToLowerInvariant()}{Suffix}";
        var created = await Api.PostAsJsonAsync("/api/v1/affiliates", new { name, email = $"{code}@example.com", referralCode = code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "ok" })).StatusCode);
        return (id, code);
    }

    public async Task<Guid> LinkAsync(Guid affiliateId, string shopName)
    {
        var created = await Api.PostAsJsonAsync("/api/v1/links", new { affiliateId, destination = $"https://{shopName}-{Suffix}.myshopify.com/" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Clicks as the click writer stores them (the redirect has its own tests); the flags are the classifier's verdicts.</summary>
    public async Task ClicksAsync(Guid affiliateId, string code, Guid linkId, DateTime at, int count, bool bot = false, bool repeat = false, string? subId = null)
    {
        await using var scope = _app.Scope(WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        for (var i = 0; i < count; i++)
        {
            db.Clicks.Add(new Click
            {
                Id = Guid.CreateVersion7(), WorkspaceId = WorkspaceId, AffiliateId = affiliateId, LinkId = linkId, ReferralCode = code, SubId = subId,
                At = at.AddSeconds(i), Source = ClickSource.Redirect, IsBot = bot, IsDuplicate = repeat, UserAgent = bot ? "Googlebot/2.1" : "Mozilla/5.0",
            });
        }
        await db.SaveChangesAsync();
    }

    public Task OrderAsync(ShopId shop, string id, DateTime at, decimal revenue, string code, string currency) =>
        OrderAsync(shop, id, at, code, currency, [new OrderLine("L1", "P1", [], 2, revenue, 0m)]);

    /// <summary>An order with these lines, credited by <paramref name="code"/> (a cart attribute, or the given touches).</summary>
    public async Task OrderAsync(
        ShopId shop, string id, DateTime at, string code, string currency, IReadOnlyList<OrderLine> lines, bool taxesIncluded = false,
        IReadOnlyList<ReferralTouch>? touches = null)
    {
        var order = new OrderEvent(shop, new ExternalOrderId(id), "#" + id, at, at, currency, OrderState.Paid, IsTest: false, CustomerId: "c-" + id,
            CustomerEmail: $"buyer.{id}@example.com", Lines: lines, DiscountCodes: [],
            Touches: touches ?? [new ReferralTouch(code, null, null, TouchSource.CartAttribute)], ShippingTotal: 5m, TaxTotal: lines.Sum(l => l.Tax),
            TaxesIncluded: taxesIncluded);
        Assert.Equal(ApplyOutcome.Applied, await WithAsync<ApplyOutcome, OrderProcessor>(p => p.ApplyOrderAsync(order, default)));
    }

    /// <summary>Refunds one of the order's two units.</summary>
    public Task RefundOneUnitAsync(ShopId shop, string id, DateTime at, decimal amount) => RefundAsync(shop, id, at, new RefundLine("L1", 1, amount));

    public async Task RefundAsync(ShopId shop, string id, DateTime at, params RefundLine[] lines) =>
        Assert.Equal(ApplyOutcome.Applied, await WithAsync<ApplyOutcome, OrderProcessor>(p =>
            p.ApplyRefundAsync(new RefundEvent(shop, new ExternalOrderId(id), "R-" + id, at, lines), default)));

    public async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = _app.Scope(WorkspaceId);
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Waits for the rollup worker to read everything stored so far (its progress event, not a sleep).</summary>
    public Task CaughtUpAsync() => _app.Services.GetRequiredService<RollupProgress>().CaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Api.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The CSV of a report, checked for the byte order mark and CRLF line ends, parsed per RFC 4180.</summary>
    public async Task<List<string[]>> GetCsvAsync(string url)
    {
        var response = await Api.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Rfc4180.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }
}

/// <summary>A small RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records.</summary>
public static class Rfc4180
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else if (c == '\n') throw new FormatException("A bare LF: RFC 4180 records end with CRLF.");
            else field.Append(c);
        }
        Assert.True(field.Length == 0 && row.Count == 0, "The CSV does not end with CRLF.");
        return rows;
    }
}
