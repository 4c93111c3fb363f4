using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Security;

namespace ShopAffiliate.Core.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AppDbContext"/> on the configured provider, the tenant context, the audit interceptor,
    /// the staff revocation interceptor, the migrator and Data Protection keys stored in the database (so every web
    /// node can decrypt credentials), encrypted at rest with the key-encryption key (ADR 0027).
    /// </summary>
    public static IServiceCollection AddShopAffiliateData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Configure(o => DatabaseOptions.Bind(o, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddSingleton<AuditInterceptor>();
        services.AddHttpContextAccessor();
        services.AddScoped<Audit.AuditTrail>();
        services.AddSingleton<StaffRevocationInterceptor>();
        services.AddSingleton(TimeProvider.System);

        // Both provider contexts are registered; which one serves AppDbContext is decided when it is resolved,
        // after options validation has had its say and after test hosts have layered their settings on.
        services.AddDbContext<SqliteAppDbContext>(Configure);
        services.AddDbContext<PostgresAppDbContext>(Configure);
        services.AddScoped<AppDbContext>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ParsedProvider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresAppDbContext>()
                : sp.GetRequiredService<SqliteAppDbContext>());

        services.AddDataProtection()
            .SetApplicationName("ShopAffiliate")
            .PersistKeysToDbContext<AppDbContext>();
        services.AddKeyEncryption();

        services.AddScoped<DatabaseMigrator>();
        return services;

        static void Configure(IServiceProvider sp, DbContextOptionsBuilder builder)
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            UseProvider(builder, options);
            builder.AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), sp.GetRequiredService<StaffRevocationInterceptor>());
            // After the audit interceptor (which stamps UpdatedAt): the events of this save join it (AddWebhooks).
            if (sp.GetService<Webhooks.WebhookEventInterceptor>() is { } webhooks) builder.AddInterceptors(webhooks);
        }
    }

    private static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        switch (options.ParsedProvider)
        {
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.ConnectionString, npgsql =>
                    npgsql.MigrationsHistoryTable("__EFMigrationsHistory"));
                break;
            default:
                builder.UseSqlite(EnsureSqliteFolder(options.ConnectionString));
                break;
        }
        return builder;
    }

    /// <summary>SQLite creates the file but not its folder; a fresh clone has no <c>data/</c> yet.</summary>
    private static string EnsureSqliteFolder(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        return connectionString;
    }
}
