using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Web.Tests.Infrastructure;

public enum Db
{
    Sqlite,
    Postgres,
}

/// <summary>The real host on a fresh database of the given provider, with optional extra settings.</summary>
public class TestApp : WebApplicationFactory<Program>
{
    public const string OwnerEmail = "owner@example.com";
    public const string OwnerPassword = "correct-horse-battery";
    public const string ApiKey = "sa_test_bootstrap_key_0123456789abcdefghijklmnop";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <summary>False for a <see cref="SecondNode">second node</see>: the first one removes the database.</summary>
    private bool _ownsDatabase;

    private TestApp(Db provider, Dictionary<string, string?> settings, Action<IServiceCollection>? services, bool ownsDatabase = true)
    {
        Provider = provider;
        _settings = settings;
        _services = services;
        _ownsDatabase = ownsDatabase;
    }

    public Db Provider { get; }

    /// <summary>The connection string of this host's database (for a process started on the same one).</summary>
    public string ConnectionString => _settings[Provider == Db.Postgres ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"]!;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (_ownsDatabase && Provider == Db.Sqlite && _settings.TryGetValue("ConnectionStrings:Sqlite", out var cs) && cs is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).DataSource;
            foreach (var f in (string[])[file, file + "-wal", file + "-shm"])
            {
                try { File.Delete(f); } catch (IOException) { }
            }
        }
    }

    /// <summary>A host with the headless bootstrap of API.md: owner, workspace and <see cref="ApiKey"/>.</summary>
    public static Task<TestApp> BootstrappedAsync(
        Db provider, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null) =>
        CreateAsync(provider, services: services, settings: new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["Bootstrap:OwnerEmail"] = OwnerEmail,
            ["Bootstrap:OwnerPassword"] = OwnerPassword,
            ["Bootstrap:WorkspaceName"] = "Test Program",
            ["Bootstrap:ApiKey"] = ApiKey,
        });

    public static async Task<TestApp> CreateAsync(
        Db provider, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        all.TryAdd("Database:Provider", provider.ToString());
        all.TryAdd("DataProtection:KeyEncryptionKey", TestSecrets.KeyEncryptionKey);
        // Keep CI output readable: warnings and errors only, and not EF's "no history table yet" on every fresh database.
        all.TryAdd("Logging:LogLevel:Default", "Warning");
        all.TryAdd("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        // Host tests sign in, connect and launch many times, mostly from TestServer's one empty client address; each
        // limit has its own tests (RateLimitTests, SignInTests), which set it low.
        foreach (var policy in ShopAffiliate.Web.Hosting.RateLimits.Policies) all.TryAdd($"RateLimits:{policy.Section}:PermitLimit", "100000");
        // The fakes of Shopify and WooCommerce listen on 127.0.0.1; OutboundGuardTests check the refusal itself.
        all.TryAdd("Outbound:AllowPrivateNetworks", "true");
        // Without an SMTP server mail is written as .eml files: to a folder of this app's, not the test run's data/mail.
        all.TryAdd("Smtp:PickupFolder", Path.Combine(Path.GetTempPath(), $"sa-mail-{Guid.NewGuid():N}"));
        // The commission-earned sender mails every new commission: off, so tests that count an address's mails stay
        // exact; CommissionEarnedMailTests turn it on.
        all.TryAdd("Mail:CommissionEarned", "false");
        // Likewise the monthly statements (in the first days of a month): MonthlyStatementMailTests run passes themselves.
        all.TryAdd("Mail:MonthlyStatement", "false");
        // Uploaded creatives likewise: a folder of this app's.
        all.TryAdd("Creatives:Folder", Path.Combine(Path.GetTempPath(), $"sa-creatives-{Guid.NewGuid():N}"));
        if (provider == Db.Postgres)
        {
            var server = await PostgresServer.InstanceAsync();
            all.TryAdd("ConnectionStrings:Postgres", await server.CreateDatabaseAsync());
        }
        else
        {
            var file = Path.Combine(Path.GetTempPath(), $"sa-test-{Guid.NewGuid():N}.db");
            all.TryAdd("ConnectionStrings:Sqlite", $"Data Source={file}");
        }
        var app = new TestApp(provider, all, services);
        _ = app.Server; // start now, so migrations and bootstrap have run before the test acts
        return app;
    }

    /// <summary>
    /// Stops this host (gracefully, as on SIGTERM), runs <paramref name="whileStopped"/>, and starts a new host on the
    /// same database and settings.
    /// </summary>
    public async Task<TestApp> RestartAsync(Action? whileStopped = null)
    {
        var owns = _ownsDatabase;
        _ownsDatabase = false;
        await DisposeAsync();
        whileStopped?.Invoke();
        var next = new TestApp(Provider, _settings, _services, owns);
        _ = next.Server;
        return next;
    }

    /// <summary>
    /// Another host on the same database, settings and services: a second node of a multi-node deployment
    /// (<paramref name="overrides"/>: settings this node has differently).
    /// </summary>
    public TestApp SecondNode(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        var node = new TestApp(Provider, settings, _services, ownsDatabase: false);
        _ = node.Server;
        return node;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            // TestServer leaves the client IP empty; tests name one in X-Test-Client-Ip.
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientIpFromHeader>();
            FileLoggerProvider.AddTo(services, $"testapp-{Provider}".ToLowerInvariant());
            _services?.Invoke(services);
        });
    }

    private sealed class ClientIpFromHeader : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => http =>
            {
                if (System.Net.IPAddress.TryParse(http.Request.Headers["X-Test-Client-Ip"], out var ip)) http.Connection.RemoteIpAddress = ip;
                return nextMiddleware(http);
            });
            next(app);
        };
    }

    public HttpClient ApiClient(string apiKey = ApiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A scope whose tenant is <paramref name="workspaceId"/> (null: none, so tenant-owned sets are empty).</summary>
    public AsyncServiceScope Scope(Guid? workspaceId = null)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().WorkspaceId = workspaceId;
        return scope;
    }
}
