using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// Every test host writes its log (every category, Information and up, whatever the console shows) to a file of its
/// own under <see cref="TestSecrets.LogFolder"/>; <c>scripts/secret-scan.sh</c> then looks there for the secrets the
/// tests recorded.
/// </summary>
public sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    private readonly Lock _gate = new();

    public static void AddTo(IServiceCollection services, string name)
    {
        var path = Path.Combine(TestSecrets.LogFolder, $"{name}-{Guid.NewGuid().ToString("N")[..12]}.log");
        // Made by the container, so it is disposed (and the file closed) with the host.
        services.AddSingleton<ILoggerProvider>(_ => new FileLoggerProvider(path));
        services.AddLogging(logging =>
        {
            // A provider's own rule wins over the general ones, so the console can stay at Warning.
            logging.AddFilter<FileLoggerProvider>(null, LogLevel.Information);
            // SQL text (parameters are never logged): large, and the values are not in it.
            logging.AddFilter<FileLoggerProvider>("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        });
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A background service logging after its host was disposed.
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            provider.Write($"{DateTime.UtcNow:O} {logLevel} {category}[{eventId.Id}] {message}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
