using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>The bootstrapped app on Kestrel, an approved affiliate "jane", and a fake shop embedding sa.js.</summary>
public sealed class StorefrontFixture : IAsyncLifetime
{
    public const string WorkspaceSlug = "test-program"; // from the bootstrap's "Test Program"
    public const string Code = "jane";

    public BrowserApp App { get; private set; } = null!;
    public FakeShop Shop { get; private set; } = null!;
    public Guid JaneId { get; private set; }

    public async Task InitializeAsync()
    {
        App = BrowserApp.Start(bootstrapped: true);
        using var api = App.ApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Jane Doe", email = "jane@example.com", referralCode = Code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JaneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var approved = await api.PostAsJsonAsync($"/api/v1/affiliates/{JaneId}/approve", new { reason = "ok" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        Shop = await FakeShop.StartAsync(App.BaseUrl, WorkspaceSlug);
    }

    public async Task DisposeAsync()
    {
        if (Shop is not null) await Shop.DisposeAsync();
        if (App is not null) await App.DisposeAsync();
    }
}
