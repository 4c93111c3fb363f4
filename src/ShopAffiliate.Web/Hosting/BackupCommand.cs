using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Web.Hosting;

/// <summary>
/// <c>dotnet ShopAffiliate.Web.dll backup &lt;file&gt;</c> and <c>restore &lt;file&gt; [--force]</c>, run before the web host
/// starts, on the database the same settings name. SQLite: the online backup API (safe while the app runs; restore copies
/// the backup into the database file page by page). PostgreSQL: <c>pg_dump --format=custom</c> / <c>pg_restore --clean
/// --if-exists</c>, the connection's parts passed in PG* environment variables so no password is in an argument list.
/// Restore refuses a file that is not a ShopAffiliate database (no migrations history) and a database in use (stop the
/// app first) unless <c>--force</c>.
/// </summary>
internal static class BackupCommand
{
    /// <summary>The exit code when <paramref name="args"/> start with a verb, else null (start the web host).</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("backup" or "restore")) return null;
        var verb = args[0];
        var rest = args.Skip(1).ToList();
        var force = rest.Remove("--force");
        var file = rest.FirstOrDefault(a => !a.StartsWith('-'));
        if (file is null)
        {
            await Console.Error.WriteLineAsync($"Usage: dotnet ShopAffiliate.Web.dll {verb} <file>{(verb == "restore" ? " [--force]" : "")}");
            return 2;
        }
        rest.Remove(file);
        file = Path.GetFullPath(file);
        try
        {
            var database = ReadDatabaseOptions([.. rest]);
            var isPostgres = database.ParsedProvider == DatabaseProvider.Postgres;
            if (verb == "backup")
            {
                if (isPostgres) await PgAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", file], database.ConnectionString);
                else BackupSqlite(database.ConnectionString, file);
                Console.WriteLine($"Backed up the {database.ParsedProvider} database to {file}.");
                return 0;
            }
            if (!File.Exists(file)) throw new BackupException($"There is no backup at {file}.");
            if (isPostgres) await RestorePostgresAsync(database.ConnectionString, file, force);
            else RestoreSqlite(database.ConnectionString, file, force);
            Console.WriteLine($"Restored the {database.ParsedProvider} database from {file}. Start the app to apply newer migrations, if any.");
            return 0;
        }
        catch (Exception e) when (e is BackupException or OptionsValidationException or SqliteException or NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"{verb} failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>The same configuration sources as the web host (appsettings.json next to the binaries, environment, arguments).</summary>
    private static DatabaseOptions ReadDatabaseOptions(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddShopAffiliateData(builder.Configuration);
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<DatabaseOptions>>().Value; // validated: a wrong setting names its key
    }

    private static void BackupSqlite(string connectionString, string file)
    {
        var source = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        if (!File.Exists(source.DataSource)) throw new BackupException($"There is no SQLite database at {Path.GetFullPath(source.DataSource)}.");
        File.Delete(file);
        using var from = new SqliteConnection(source.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        from.Open();
        to.Open();
        from.BackupDatabase(to); // a consistent snapshot, even with the app writing meanwhile
        using var single = to.CreateCommand();
        single.CommandText = "PRAGMA journal_mode=DELETE;"; // one self-contained file, no -wal beside it
        single.ExecuteNonQuery();
    }

    private static void RestoreSqlite(string connectionString, string file, bool force)
    {
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        from.Open();
        if (!HasMigrationsHistory(from)) throw NotOurs(file);

        var target = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        // WAL's -shm file exists while a connection has the database open (and after a crash): the app may be running.
        if (!force && (File.Exists(target.DataSource + "-shm") || File.Exists(target.DataSource + "-wal")))
            throw new BackupException($"The database {Path.GetFullPath(target.DataSource)} is in use (its -wal/-shm files exist). Stop the app, or pass --force.");
        using var to = new SqliteConnection(target.ToString());
        to.Open();
        from.BackupDatabase(to);
    }

    private static bool HasMigrationsHistory(SqliteConnection connection)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('__EFMigrationsHistory', 'Workspaces')""";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 2;
        }
        catch (SqliteException)
        {
            return false; // not a database at all ("file is not a database")
        }
    }

    private static async Task RestorePostgresAsync(string connectionString, string file, bool force)
    {
        var list = await PgAsync("pg_restore", ["--list", file], connectionString, failure: "is not a pg_dump custom-format file");
        if (!list.Contains("__EFMigrationsHistory", StringComparison.Ordinal) || !list.Contains("Workspaces", StringComparison.Ordinal)) throw NotOurs(file);
        if (!force)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
                throw new BackupException($"The database {connection.Database} is in use (other sessions are connected). Stop the app, or pass --force.");
        }
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await PgAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--dbname", database!, file], connectionString);
    }

    private static BackupException NotOurs(string file) =>
        new($"{file} is not a ShopAffiliate backup (no migrations history and workspaces in it); nothing was changed.");

    /// <summary>Runs a PostgreSQL client tool; the connection goes in PG* variables, never in the arguments (which <c>ps</c> shows).</summary>
    private static async Task<string> PgAsync(string tool, string[] arguments, string connectionString, string? failure = null)
    {
        var start = new ProcessStartInfo(FindTool(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        start.Environment["PGHOST"] = csb.Host;
        start.Environment["PGPORT"] = csb.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = csb.Database;
        start.Environment["PGUSER"] = csb.Username;
        if (csb.Password is { Length: > 0 } password) start.Environment["PGPASSWORD"] = password;
        if (csb.SslMode is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull) start.Environment["PGSSLMODE"] = csb.SslMode.ToString().ToLowerInvariant() switch
        {
            "verifyca" => "verify-ca",
            "verifyfull" => "verify-full",
            var mode => mode,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new BackupException(failure is null ? $"{tool} exited with {process.ExitCode}: {(await error).Trim()}" : $"The file {failure}: {(await error).Trim()}");
        return await output;
    }

    /// <summary>PATH first, then Debian's versioned folders (newest first): pg_dump must be at least the server's version.</summary>
    private static string FindTool(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool));
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin", tool))
            : [];
        return onPath.Concat(debian).FirstOrDefault(File.Exists)
            ?? throw new BackupException($"{tool} was not found on PATH or under /usr/lib/postgresql/*/bin. Install the PostgreSQL client (Debian: apt-get install postgresql-client).");
    }
}

internal sealed class BackupException(string message) : Exception(message);
