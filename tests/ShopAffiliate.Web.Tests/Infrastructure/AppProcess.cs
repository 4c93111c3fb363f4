using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>The host as a real process (`dotnet ShopAffiliate.Web.dll`), as an operator would start it.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string baseUrl, string workingDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        WorkingDirectory = workingDirectory;
    }

    public string BaseUrl { get; }
    public string WorkingDirectory { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="arguments">After the dll: none starts the web host, <c>backup &lt;file&gt;</c> runs that command.</param>
    public static AppProcess Start(IDictionary<string, string> environment, params string[] arguments)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var workingDirectory = Directory.CreateTempSubdirectory("sa-proc-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ShopAffiliate.Web.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production refuses to start without one (ADR 0027); a test sets it to "" to see that.
        start.Environment["DataProtection__KeyEncryptionKey"] = TestSecrets.KeyEncryptionKey;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var app = new AppProcess(process, baseUrl, workingDirectory);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Polls /health until it answers 200, the process exits, or three minutes pass (a loaded CI machine starts a process slowly).</summary>
    public async Task<bool> WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>SIGTERM: what systemd, Docker and Ctrl+C send; the host shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && Kill(_process.Id, 15) != 0)
            throw new InvalidOperationException("Could not send SIGTERM to the app");
    }

    /// <summary>SIGKILL (kill -9): no shutdown at all, as a crash or the OOM killer ends a process.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        // Its console is its log: kept for the secret scan like the in-process hosts' files.
        await File.WriteAllTextAsync(Path.Combine(TestSecrets.LogFolder, $"process-{new Uri(BaseUrl).Port}-{Guid.NewGuid().ToString("N")[..8]}.log"), Output);
        try { Directory.Delete(WorkingDirectory, recursive: true); } catch (IOException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
