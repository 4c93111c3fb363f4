using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ShopAffiliate.Web.Hosting;

/// <summary>
/// The loggers that write URLs (ASP.NET Core's request log, HttpClient's request log) see query strings holding
/// secrets: launch signatures and nonces, OAuth codes, states and HMACs, Shopify's id_token, connect codes and API keys
/// in <c>workspace=</c>, WooCommerce's consumer key and secret. Their values are replaced before any provider sees the
/// message or its structured values, whatever level an operator turns those categories up to. Other categories get
/// the plain logger: no cost on any other log call.
/// </summary>
internal static partial class LogRedaction
{
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(), sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(), sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    internal static bool WritesUrls(string category) =>
        category.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal)
        || category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal)
        || category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<=[?&](?:id_token|token|code|hmac|state|sig|signature|nonce|session|workspace|consumer_key|consumer_secret|oauth_signature|oauth_consumer_key|key|password)=)[^&\s#""]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryValue();

    public static string Redact(string text) => text.Contains('=') ? SecretQueryValue().Replace(text, "[redacted]") : text;

    private sealed class RedactingLoggerFactory(LoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            var logger = inner.CreateLogger(categoryName);
            return WritesUrls(categoryName) ? new RedactingLogger(logger) : logger;
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = Redact(formatter(state, exception));
            IReadOnlyList<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => p.Value is string or Uri or PathString or QueryString ? new KeyValuePair<string, object?>(p.Key, Redact(p.Value.ToString() ?? "")) : p).ToList()
                : [];
            inner.Log(logLevel, eventId, new Redacted(values, message), exception, static (s, _) => s.Message);
        }
    }

    /// <summary>The structured values (redacted) with the message; ToString is the message, as the originals do.</summary>
    private sealed class Redacted(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;
        public KeyValuePair<string, object?> this[int index] => values[index];
        public int Count => values.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => Message;
    }
}
