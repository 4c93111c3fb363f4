using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster started from the Debian binaries: a temp folder, a free port on 127.0.0.1,
/// stopped and deleted when the test process exits. One server per test run; one database per test app.
/// As root (CI, sessions) initdb/pg_ctl refuse to run, so they run as the `postgres` user.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binDirectory;
    private readonly string _dataDirectory;

    private PostgresServer(string binDirectory, string dataDirectory, int port)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true;Timeout=30;Connection Idle Lifetime=15;Connection Pruning Interval=5";

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "sa_test_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDirectory();
        RemoveStaleClusters();
        var data = Path.Combine(Path.GetTempPath(), "sa-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["postgres:postgres", data], asPostgres: false);

        await RunAsync(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"),
                [
                    "-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60",
                    "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000",
                    "start",
                ], asRoot);
                var server = new PostgresServer(bin, data, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
                return server;
            }
            catch (InvalidOperationException e)
            {
                last = e; // the port was taken between probing and binding: try another
            }
        }
        throw new InvalidOperationException("PostgreSQL did not start; see the server.log in " + data, last);
    }

    private void Stop(bool asRoot)
    {
        try
        {
            RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], asRoot)
                .GetAwaiter().GetResult();
        }
        finally
        {
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Clusters of earlier runs whose server is gone (the test host may exit before deleting its folder).</summary>
    private static void RemoveStaleClusters()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "sa-pg-*"))
        {
            if (File.Exists(Path.Combine(dir, "postmaster.pid"))) continue;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("SA_PG_BIN") is { Length: > 0 } configured) return configured;
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Dir
            : throw new InvalidOperationException(
                "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin. Run the tests with " +
                "scripts/test.sh, which installs Debian's postgresql package, or set SA_PG_BIN to the folder holding initdb.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file]) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
