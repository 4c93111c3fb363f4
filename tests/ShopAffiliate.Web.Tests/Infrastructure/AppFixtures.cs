namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>One bootstrapped app per test class; the concrete subclasses pick the provider.</summary>
public abstract class BootstrappedApp(Db provider) : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.BootstrappedAsync(provider);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class SqliteApp() : BootstrappedApp(Db.Sqlite);

public sealed class PostgresApp() : BootstrappedApp(Db.Postgres);
