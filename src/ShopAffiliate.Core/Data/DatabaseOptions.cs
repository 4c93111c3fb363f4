using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ShopAffiliate.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from <c>Database</c> plus <c>ConnectionStrings:Sqlite</c> / <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string DefaultSqlite = "Data Source=data/shopaffiliate.db";

    /// <summary>Kept as text so a wrong value gets our message naming the key, not a binder exception.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    public string? SqliteConnectionString { get; set; }
    public string? PostgresConnectionString { get; set; }

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new OptionsValidationException(Section, typeof(DatabaseOptions), [InvalidProviderMessage(Provider)]);

    public string ConnectionString => ParsedProvider == DatabaseProvider.Sqlite
        ? SqliteConnectionString ?? DefaultSqlite
        : PostgresConnectionString ?? "";

    internal static string InvalidProviderMessage(string? value) =>
        $"Database:Provider is '{value}', which is not supported. Use 'Sqlite' (the embedded default) or 'Postgres'.";

    internal static void Bind(DatabaseOptions options, IConfiguration configuration)
    {
        configuration.GetSection(Section).Bind(options);
        options.SqliteConnectionString = configuration.GetConnectionString("Sqlite") ?? options.SqliteConnectionString;
        options.PostgresConnectionString = configuration.GetConnectionString("Postgres") ?? options.PostgresConnectionString;
    }
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            return ValidateOptionsResult.Fail(DatabaseOptions.InvalidProviderMessage(options.Provider));
        }

        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "ConnectionStrings:Postgres is required when Database:Provider is 'Postgres' " +
                "(e.g. 'Host=127.0.0.1;Port=5432;Database=shopaffiliate;Username=shopaffiliate;Password=...').");
        }

        return ValidateOptionsResult.Success;
    }
}
