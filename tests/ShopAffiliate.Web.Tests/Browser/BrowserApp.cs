using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// The real host on Kestrel (127.0.0.1, a free port) over a fresh SQLite file, so a browser can reach it.
/// Mirrors <see cref="TestApp"/>, which cannot be used here: it starts the in-memory TestServer at once.
/// </summary>
public sealed class BrowserApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _databaseFile;

    private BrowserApp(Dictionary<string, string?> settings, string databaseFile)
    {
        _settings = settings;
        _databaseFile = databaseFile;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The app's origin, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public static BrowserApp Start(bool bootstrapped, IDictionary<string, string?>? extra = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sa-browser-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(Db.Sqlite),
            ["ConnectionStrings:Sqlite"] = $"Data Source={file}",
            ["DataProtection:KeyEncryptionKey"] = TestSecrets.KeyEncryptionKey,
        };
        if (bootstrapped)
        {
            settings["Bootstrap:OwnerEmail"] = TestApp.OwnerEmail;
            settings["Bootstrap:OwnerPassword"] = TestApp.OwnerPassword;
            settings["Bootstrap:WorkspaceName"] = "Test Program";
            settings["Bootstrap:ApiKey"] = TestApp.ApiKey;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var app = new BrowserApp(settings, file);
        app.StartServer(); // migrations and bootstrap have run when this returns
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        app.BaseUrl = address.TrimEnd('/');
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => FileLoggerProvider.AddTo(services, "browserapp"));
    }

    public HttpClient ApiClient(string apiKey = TestApp.ApiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A staff member of the bootstrapped program with <paramref name="role"/> and <see cref="Staff.Password"/>.</summary>
    public async Task StaffAsync(string email, StaffRole role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Staff.Password)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var workspace = await db.Workspaces.Select(w => w.Id).SingleAsync();
        db.StaffMembers.Add(new StaffMember { WorkspaceId = workspace, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
    }

    /// <summary>Reads the database across workspaces (tenant filters off is the caller's IgnoreQueryFilters).</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in (string[])[_databaseFile, _databaseFile + "-wal", _databaseFile + "-shm"])
        {
            try { File.Delete(f); } catch (IOException) { }
        }
    }
}
