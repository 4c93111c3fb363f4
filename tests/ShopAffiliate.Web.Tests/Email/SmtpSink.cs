using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace ShopAffiliate.Web.Tests.Email;

/// <summary>
/// A real SMTP server for a test class: Debian's python3-aiosmtpd with our handler (smtp_sink.py), on a free port of
/// 127.0.0.1, storing each accepted message in a temporary folder. <see cref="Refuse"/> makes it answer 451.
/// </summary>
public sealed class SmtpSink : IAsyncLifetime
{
    private Process? _process;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"sa-smtp-{Guid.NewGuid():N}");
    public int Port { get; private set; }

    /// <summary>The app settings that send through this server.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = "Test Program <program@shop.example>",
    };

    /// <summary>Starts a sink, runs <paramref name="use"/> with it and stops it, also when <paramref name="use"/> fails.</summary>
    public static async Task WithAsync(Func<SmtpSink, Task> use)
    {
        var sink = new SmtpSink();
        await sink.InitializeAsync();
        try
        {
            await use(sink);
        }
        finally
        {
            await sink.DisposeAsync();
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "smtp_sink.Sink", Folder])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "Email");
        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start (apt-get install python3-aiosmtpd).");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException("aiosmtpd did not listen: " + await _process.StandardError.ReadToEndAsync());
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    /// <summary>While true, the server answers DATA with 451 (and leaves a refused-* file per refusal).</summary>
    public bool Refuse
    {
        set
        {
            var flag = Path.Combine(Folder, "refuse");
            if (value) File.WriteAllText(flag, "");
            else File.Delete(flag);
        }
    }

    public int Refusals => Directory.GetFiles(Folder, "refused-*").Length;

    /// <summary>The messages accepted so far, parsed.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        [.. Directory.GetFiles(Folder, "*.eml").Select(f => MimeMessage.Load(f))];

    public IReadOnlyList<MimeMessage> MessagesTo(string address) =>
        [.. Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];
}
