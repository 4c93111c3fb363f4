using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>Starting the app as an operator does: the real process, no test host in between.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task WithOnlyAKeyEncryptionKeyTheAppStartsOnSqliteInTheDataFolder()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>());

        Assert.True(await app.WaitUntilHealthyAsync(), "The app did not become healthy:\n" + app.Output);
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.True(File.Exists(Path.Combine(app.WorkingDirectory, "data", "shopaffiliate.db")), "No SQLite file under data/");
    }

    [Fact]
    public async Task InProductionWithoutAKeyEncryptionKeyTheAppRefusesToStartAndSaysHowToMakeOne()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["DataProtection__KeyEncryptionKey"] = "" });

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("DataProtection:KeyEncryptionKey is required outside Development", app.Output);
        Assert.Contains("openssl rand -base64 32", app.Output);
    }

    [Fact]
    public async Task InDevelopmentWithoutAKeyEncryptionKeyOneIsGeneratedUnderDataAndTheKeyRingIsEncrypted()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DataProtection__KeyEncryptionKey"] = "",
        });

        Assert.True(await app.WaitUntilHealthyAsync(), "The app did not become healthy:\n" + app.Output);
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin")).StatusCode); // its antiforgery token creates the first key
        var kek = Path.Combine(app.WorkingDirectory, "data", "dataprotection-kek");
        Assert.True(File.Exists(kek), "No generated key-encryption key under data/:\n" + app.Output);
        Assert.Equal(44, (await File.ReadAllTextAsync(kek)).Length);
        Assert.Contains("Development uses a generated key-encryption key", app.Output);
        Assert.DoesNotContain("No XML encryptor configured", app.Output);
    }

    [Fact]
    public async Task WithPostgresConfiguredTheAppStartsAndMigratesIt()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateDatabaseAsync();

        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = connectionString,
        });

        Assert.True(await app.WaitUntilHealthyAsync(), "The app did not become healthy:\n" + app.Output);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var applied = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        Assert.True((long)(await applied.ExecuteScalarAsync())! >= 1);
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name = 'Affiliates'", connection);
        Assert.Equal(1L, await tables.ExecuteScalarAsync());
    }

    [Fact]
    public async Task TwoNodesStartedAtOnceOnAnEmptyPostgresBothComeUpWithOneSchemaAndOneBootstrappedProgram()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Bootstrap__OwnerEmail"] = "owner@example.com",
            ["Bootstrap__OwnerPassword"] = "a-long-password",
            ["Bootstrap__WorkspaceName"] = "Two nodes",
        };

        await using var first = AppProcess.Start(environment);
        await using var second = AppProcess.Start(environment);
        var healthy = await Task.WhenAll(first.WaitUntilHealthyAsync(), second.WaitUntilHealthyAsync());

        Assert.True(healthy[0], "The first node did not become healthy:\n" + first.Output);
        Assert.True(healthy[1], "The second node did not become healthy:\n" + second.Output);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var history = new NpgsqlCommand(
            "SELECT count(*) = count(DISTINCT \"MigrationId\") AND count(*) > 0 FROM \"__EFMigrationsHistory\"", connection);
        Assert.Equal(true, await history.ExecuteScalarAsync());
        await using var workspaces = new NpgsqlCommand("SELECT count(*) FROM \"Workspaces\"", connection);
        Assert.Equal(1L, await workspaces.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AnUnknownProviderStopsStartupWithAMessageNamingTheKey()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["Database__Provider"] = "Oracle" });

        var exitCode = await app.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("Database:Provider is 'Oracle', which is not supported. Use 'Sqlite' (the embedded default) or 'Postgres'.", app.Output);
        Assert.DoesNotContain("   at ", app.Output); // a message, not a stack trace
    }

    [Theory]
    [InlineData("Database:Provider", "Postgres", "ConnectionStrings:Postgres is required")]
    [InlineData("App:PublicBaseUrl", "not a url", "App:PublicBaseUrl is 'not a url'")]
    [InlineData("Bootstrap:ApiKey", "too-short", "Bootstrap:ApiKey must be at least 32 characters")]
    [InlineData("RateLimits:SignIn:PermitLimit", "0", "RateLimits:SignIn:PermitLimit must be between 1 and 1000000.")]
    [InlineData("RateLimits:SignIn:Window", "00:00:00", "RateLimits:SignIn:Window must be between 00:00:01 and 1.00:00:00.")]
    [InlineData("Privacy:IpHashRetentionDays", "0", "Privacy:IpHashRetentionDays must be between 1 and 3650.")]
    [InlineData("DataProtection:KeyEncryptionKey", "c2hvcnQ=", "DataProtection:KeyEncryptionKey must be 32 bytes in base64")]
    [InlineData("DataProtection:PreviousKeyEncryptionKeys:0", "not base64!", "DataProtection:PreviousKeyEncryptionKeys:0 must be 32 bytes in base64.")]
    public async Task ABadSettingStopsStartup(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.CreateAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            [key] = value,
            ["Bootstrap:OwnerEmail"] = key.StartsWith("Bootstrap", StringComparison.Ordinal) ? "o@example.com" : null,
            ["Bootstrap:OwnerPassword"] = key.StartsWith("Bootstrap", StringComparison.Ordinal) ? "long-enough-password" : null,
            ["Bootstrap:WorkspaceName"] = key.StartsWith("Bootstrap", StringComparison.Ordinal) ? "P" : null,
        }));

        var validation = Exceptions.Flatten(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, "Expected an options validation failure, got: " + failure);
        Assert.Contains(validation.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }
}
