using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Urls;
using ShopAffiliate.Core.Webhooks;
using ShopAffiliate.Web.Hosting;

namespace ShopAffiliate.Web.Features.Webhooks;

/// <summary>
/// Sends one signed delivery (docs/WEBHOOKS.md): POST of the stored body with the event, delivery id, timestamp and
/// <c>v1=</c> HMAC-SHA256 signature headers, through the outbound guard (every address dialled is checked, redirects
/// included; none are followed). 2xx is delivered; 410 Gone disables the endpoint; anything else, a timeout or a refused
/// address is retried by the outbox with backoff. At most <see cref="WebhookOptions.MaxResponseBytes"/> of the answer is read.
/// </summary>
public sealed class WebhookDeliveryHandler(
    AppDbContext db, IHttpClientFactory clients, WebhookSecrets secrets, IWebhookUrlPolicy urls, IOptions<WebhookOptions> options, TimeProvider clock)
    : IOutboxHandler
{
    public const string ClientName = "webhooks";

    public string Kind => OutboxKinds.Delivery;

    public async Task<OutboxOutcome> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var endpoint = Guid.TryParse(message.Recipient, out var id)
            ? await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct)
            : null;
        if (endpoint is null) return OutboxOutcome.GiveUp("The endpoint was deleted.");
        if (!endpoint.Enabled) return OutboxOutcome.GiveUp("The endpoint is disabled" + (endpoint.DisabledReason is { } r ? $": {r}" : "."));
        var url = new Uri(endpoint.Url);
        if (await urls.RefusalAsync(url, ct) is { } refusal) return OutboxOutcome.Retry(refusal);

        var body = Encoding.UTF8.GetBytes(message.Payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-ShopAffiliate-Event", message.Topic);
        request.Headers.Add("X-ShopAffiliate-Delivery", message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-ShopAffiliate-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-ShopAffiliate-Signature", WebhookSigning.Sign(secrets.Unprotect(endpoint), timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return OutboxOutcome.Retry($"No answer within {options.Value.TimeoutSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return OutboxOutcome.Retry(e.InnerException is OutboundAddressRefusedException refused ? refused.Message : "Could not connect: " + e.Message);
        }
        using (response)
        {
            var code = (int)response.StatusCode;
            var answer = await ReadBoundedAsync(response, options.Value.MaxResponseBytes, timeout.Token);
            if (response.IsSuccessStatusCode) return OutboxOutcome.Sent(code);
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                await db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.Id == endpoint.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Enabled, false)
                    .SetProperty(e => e.DisabledReason, "The receiver answered 410 Gone.")
                    .SetProperty(e => e.UpdatedAt, clock.GetUtcNow().UtcDateTime), CancellationToken.None);
                return OutboxOutcome.GiveUp("410 Gone: the endpoint is disabled.", code);
            }
            return OutboxOutcome.Retry($"HTTP {code}{(answer.Length > 0 ? ": " + answer : "")}", code);
        }
    }

    /// <summary>The first bytes of the answer as text (control characters dropped), never more than <paramref name="max"/>.</summary>
    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, int max, CancellationToken ct)
    {
        if (max == 0) return "";
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[max];
            var read = 0;
            while (read < max && await stream.ReadAsync(buffer.AsMemory(read, max - read), ct) is var n and > 0) read += n;
            var text = Encoding.UTF8.GetString(buffer, 0, read);
            return new string(text.Where(c => !char.IsControl(c)).Take(500).ToArray());
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
        {
            return "";
        }
    }
}

/// <summary>
/// Webhook URLs: https only (plain http too under <see cref="OutboundOptions.AllowPrivateNetworks"/>, the development
/// setting), and a host that resolves to public addresses only (or the allowed networks). The guard checks again when
/// the delivery connects (a name can change its answer in between).
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<OutboundOptions> options) : IWebhookUrlPolicy
{
    public async Task<string?> RefusalAsync(Uri url, CancellationToken ct)
    {
        var o = options.Value;
        if (url.Scheme != Uri.UriSchemeHttps && !(o.AllowPrivateNetworks && url.Scheme == Uri.UriSchemeHttp))
            return "The address must start with https://.";
        if (o.AllowPrivateNetworks) return null;
        var host = url.IdnHost.TrimStart('[').TrimEnd(']');
        var allowed = o.AllowedNetworks.Select(IPNetwork.Parse).ToArray();
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else if (NetworkAddresses.ClassifyHost(host) is not AddressClass.Public and var named)
            return $"'{host}' is {NetworkAddresses.Describe(named)}, which the app does not call.";
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(host, ct); }
            catch (SocketException) { return $"'{host}' does not resolve to an address."; }
        }
        foreach (var a in addresses)
        {
            var kind = NetworkAddresses.Classify(a);
            if (kind != AddressClass.Public && !allowed.Any(n => n.Contains(a)))
                return $"'{host}' resolves to {NetworkAddresses.Describe(kind)}, which the app does not call.";
        }
        return addresses.Length == 0 ? $"'{host}' does not resolve to an address." : null;
    }
}
