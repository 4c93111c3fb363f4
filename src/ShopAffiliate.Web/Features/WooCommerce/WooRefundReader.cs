using System.Net;
using System.Text.Json;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Platforms.WooCommerce;

namespace ShopAffiliate.Web.Features.WooCommerce;

/// <param name="Refunds">For the engine, in refund id order.</param>
/// <param name="Problem">Why the store's lines could not be read (null when the store answered).</param>
public sealed record WooRefundRead(IReadOnlyList<RefundEvent> Refunds, string? Problem);

/// <summary>
/// Which of an order's refunds the engine needs, with their lines (ADR 0012): a refund it does not hold yet, and one it
/// holds as estimated from the order's totals (<see cref="RefundEvent.FromTotals"/>), which its lines replace once the
/// store gives them. For either the store is asked once, <c>GET /orders/{id}/refunds</c> (every page). A refund the
/// engine already holds with its lines costs no call.
/// </summary>
public sealed partial class WooRefundReader(OrderProcessor orders, WooConnector connector, WooCommerceClient client, ILogger<WooRefundReader> logger)
{
    /// <summary>
    /// The refunds of <paramref name="body"/> (an order as WooCommerce sends or lists it) the engine needs. When the lines
    /// cannot be read, a new refund is estimated from the totals and an estimated one stays as it is. A passing failure
    /// (no answer, 429, 5xx) throws instead while a new refund is at stake and <paramref name="lastAttempt"/> is false, so
    /// the delivery is retried; re-reading estimates alone never fails a delivery.
    /// </summary>
    public async Task<WooRefundRead> ReadAsync(Shop shop, JsonElement body, ExternalOrderId orderId, bool lastAttempt, CancellationToken ct)
    {
        var listed = WooOrderMapper.RefundIds(body);
        if (listed.Count == 0) return new([], null); // most deliveries: no refunds, no reads
        var shopId = new ShopId(shop.Id);
        var held = await orders.HeldRefundsAsync(shopId, orderId, ct);
        var missing = listed.Where(r => !held.ContainsKey(r)).ToHashSet(StringComparer.Ordinal);
        var estimated = listed.Where(r => held.GetValueOrDefault(r)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count == 0 && estimated.Count == 0) return new([], null);

        var estimates = WooOrderMapper.MapRefunds(body, shopId).Where(r => missing.Contains(r.RefundId)).ToList();
        string problem;
        if (connector.StoreOf(shop) is not { } store)
            problem = "the store's API key is not available";
        else
        {
            try
            {
                var details = (await client.ListRefundsAsync(store, orderId.Value, ct))
                    .Select(r => WooOrderMapper.MapRefundDetail(body, r, shopId))
                    .Where(r => missing.Contains(r.RefundId) || estimated.Contains(r.RefundId))
                    .ToDictionary(r => r.RefundId, StringComparer.Ordinal);
                // A refund the list does not show (deleted since): its total, spread.
                var notListed = estimates.Where(e => !details.ContainsKey(e.RefundId)).ToList();
                if (notListed.Count > 0)
                    LogEstimated(shop.Domain, orderId.Value, Ids(notListed), "not in the store's refund list");
                if (details.Keys.Where(estimated.Contains).ToList() is { Count: > 0 } reread)
                    LogReread(shop.Domain, orderId.Value, string.Join(", ", reread));
                return new([.. details.Values.OrderBy(r => r.RefundId, StringComparer.Ordinal), .. notListed], null);
            }
            // A passing failure fails the delivery (the inbox retries it) until the last attempt; then, like a lasting one, it
            // falls back to the totals.
            catch (Exception e) when (Passing(e, ct) ? lastAttempt || missing.Count == 0 : e is WooApiException or WooPayloadException)
            {
                problem = e.Message;
            }
        }

        if (estimates.Count > 0)
            LogEstimated(shop.Domain, orderId.Value, Ids(estimates), problem);
        if (estimated.Count > 0)
            LogStillEstimated(shop.Domain, orderId.Value, string.Join(", ", estimated), problem);
        return new(estimates, problem);
    }

    private static string Ids(IEnumerable<RefundEvent> refunds) => string.Join(", ", refunds.Select(r => r.RefundId));

    /// <summary>No answer, a timeout, 429 or a 5xx: worth another try.</summary>
    private static bool Passing(Exception e, CancellationToken ct) => e switch
    {
        WooApiException api => api.StatusCode is null or HttpStatusCode.TooManyRequests || (int?)api.StatusCode >= 500,
        HttpRequestException => true,
        TaskCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "WooCommerce {Store} order {OrderId}: refund(s) {RefundIds} applied from the order's totals, spread over the order, without their lines: {Problem}")]
    private partial void LogEstimated(string store, string orderId, string refundIds, string problem);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "WooCommerce {Store} order {OrderId}: refund(s) {RefundIds}, applied from the order's totals, read again with their lines")]
    private partial void LogReread(string store, string orderId, string refundIds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "WooCommerce {Store} order {OrderId}: refund(s) {RefundIds} stay estimated from the order's totals: {Problem}")]
    private partial void LogStillEstimated(string store, string orderId, string refundIds, string problem);
}
