using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>The host's basics, run once per database provider (see the concrete classes at the bottom).</summary>
public abstract class HostTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task HealthAnswers200WithTheDatabaseCheck()
    {
        var response = await App.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task OpenApiDocumentIsValidOpenApi()
    {
        var response = await App.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var result = await OpenApiDocument.LoadAsync(await response.Content.ReadAsStreamAsync(), "json");

        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Contains("/api/v1/affiliates", result.Document!.Paths.Keys);
    }

    [Fact]
    public async Task TheProviderIsTheOneConfiguredAndFullyMigrated()
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.Equal(App.Provider == Db.Postgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite",
            db.Database.ProviderName);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // A model change without a migration for this provider would show here.
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration covers: run scripts/add-migration.sh");
    }

    [Fact]
    public async Task DataProtectionKeysAreStoredInTheDatabase()
    {
        await using var scope = App.Scope();
        var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var secret = protector.Protect("shpat_secret");

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.NotEqual(0, await db.DataProtectionKeys.CountAsync());
        Assert.Equal("shpat_secret", protector.Unprotect(secret));
    }

    [Fact]
    public async Task ApiWithoutAKeyIs401ProblemDetails()
    {
        var response = await App.CreateClient().GetAsync("/api/v1/affiliates");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiWithAnUnknownKeyIs401()
    {
        var response = await App.ApiClient("sa_not_a_real_key_000000000000000000000000").GetAsync("/api/v1/affiliates");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task BootstrapKeyListsTheWorkspacesAffiliates()
    {
        var client = App.ApiClient();
        var tag = Guid.NewGuid().ToString("N")[..12];
        foreach (var name in (string[])["Ann List", "Ben List"])
        {
            var created = await client.PostAsJsonAsync("/api/v1/affiliates",
                new { name, email = $"{name.Split(' ')[0].ToLowerInvariant()}.{tag}@example.com", referralCode = $"{name.Split(' ')[0].ToLowerInvariant()}{tag}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var inWorkspace = await new Scenario(App).WithDbAsync(db => db.Affiliates.CountAsync()); // the fixture's other tests add some too

        var response = await client.GetAsync($"/api/v1/affiliates?pageSize={Features.Paging.MaxPageSize}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((1, Features.Paging.MaxPageSize, inWorkspace), (body.RootElement.GetProperty("page").GetInt32(),
            body.RootElement.GetProperty("pageSize").GetInt32(), body.RootElement.GetProperty("total").GetInt32()));
        var items = body.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(inWorkspace, items.Count);
        var ours = items.Where(i => i.GetProperty("email").GetString()!.EndsWith($".{tag}@example.com", StringComparison.Ordinal)).ToList();
        // Newest first, each with the fields it was created with.
        Assert.Equal(
            [("Ben List", $"ben.{tag}@example.com", $"ben{tag}", "Pending"), ("Ann List", $"ann.{tag}@example.com", $"ann{tag}", "Pending")],
            ours.Select(i => (i.GetProperty("name").GetString(), i.GetProperty("email").GetString(), i.GetProperty("referralCode").GetString(),
                i.GetProperty("status").GetString())).ToList());
    }

    [Fact]
    public async Task MalformedJsonIs400ProblemDetailsSayingWhatIsWrong()
    {
        var content = new StringContent("{\"name\": \"Jane\", \"email\": ", Encoding.UTF8, "application/json");

        var response = await App.ApiClient().PostAsync("/api/v1/affiliates", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("not valid JSON", body.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongJsonTypeIs400NotA500()
    {
        var content = new StringContent("{\"name\": 42, \"email\": [1]}", Encoding.UTF8, "application/json");

        var response = await App.ApiClient().PostAsync("/api/v1/affiliates", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InvalidAffiliateIs400WithAnErrorPerField()
    {
        var response = await App.ApiClient().PostAsJsonAsync("/api/v1/affiliates", new { name = "", email = "nope", referralCode = "a b" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("referralCode", out _));
    }

    [Fact]
    public async Task CreatedAffiliateIsFoundBySearchAndByIdAndDuplicatesAreRefused()
    {
        var client = App.ApiClient();
        var email = $"jane.{Guid.NewGuid():N}@example.com";

        var code = $"jane{Random.Shared.Next(100000)}";
        var created = await client.PostAsJsonAsync("/api/v1/affiliates", new { name = "Jane Doe", email, referralCode = code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var affiliate = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = affiliate.GetProperty("id").GetGuid();
        Assert.Equal("Pending", affiliate.GetProperty("status").GetString());

        var found = await client.GetFromJsonAsync<JsonElement>($"/api/v1/affiliates?search={Uri.EscapeDataString(email)}&status=Pending");
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(id, found.GetProperty("items")[0].GetProperty("id").GetGuid());

        var byId = await client.GetAsync($"/api/v1/affiliates/{id}");
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        var read = await byId.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((id, "Jane Doe", email, code, "Pending"),
            (read.GetProperty("id").GetGuid(), read.GetProperty("name").GetString(), read.GetProperty("email").GetString(),
                read.GetProperty("referralCode").GetString(), read.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/affiliates/{Guid.NewGuid()}")).StatusCode);

        var duplicate = await client.PostAsJsonAsync("/api/v1/affiliates", new { name = "Jane Again", email });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class HostTestsOnSqlite(SqliteApp fixture) : HostTests(fixture), IClassFixture<SqliteApp>;

public sealed class HostTestsOnPostgres(PostgresApp fixture) : HostTests(fixture), IClassFixture<PostgresApp>;
