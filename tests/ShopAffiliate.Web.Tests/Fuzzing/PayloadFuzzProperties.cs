using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Tests.Shopify.Payloads;
using ShopAffiliate.Web.Tests.WooCommerce;

namespace ShopAffiliate.Web.Tests.Fuzzing;

/// <summary>
/// The realistic Shopify and WooCommerce payloads, with fields dropped, types changed, huge numbers and odd unicode: a
/// mapper either maps the body or throws its platform's own payload exception (which the inbox parks with its message),
/// never a NullReference, InvalidCast, Overflow, KeyNotFound, InvalidOperation or ArgumentOutOfRange.
/// </summary>
public sealed class PayloadFuzzProperties
{
    private static readonly ShopId Shop = new(Guid.Parse("6a8fad5b-d9cb-469f-a165-70867728950e"));

    private static void MapsOrThrowsItsOwnError<TError>(MutatedPayload payload, Action<ReadOnlyMemory<byte>> map) where TError : Exception
    {
        try
        {
            map(Encoding.UTF8.GetBytes(payload.Json));
        }
        catch (TError)
        {
            // the platform's own "cannot read this payload", with the field's path
        }
        catch (Exception e)
        {
            Assert.Fail($"{payload} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    private static void Shopify(string name, string json, Mutation[] mutations, Action<ReadOnlyMemory<byte>> map) =>
        MapsOrThrowsItsOwnError<ShopifyPayloadException>(JsonMutations.Apply(name, json, mutations), map);

    private static void Woo(string name, string json, Mutation[] mutations, Action<JsonElement> map) =>
        MapsOrThrowsItsOwnError<WooPayloadException>(JsonMutations.Apply(name, json, mutations), body =>
        {
            using var document = WooOrderMapper.Parse(body);
            map(document.RootElement);
        });

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 300)]
    public void AMutatedShopifyOrdersCreateBodyMapsOrIsAPayloadError(Mutation[] mutations) =>
        Shopify("orders/create", OrdersCreatePayload.Json, mutations, body => ShopifyOrderMapper.MapOrder(body, Shop));

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 300)]
    public void AMutatedShopifyOrderWithRefundsAndAnEditMapsOrIsAPayloadError(Mutation[] mutations) =>
        Shopify("orders/updated (Danish, refunded and edited)", DanishOrderPayloads.AfterSecondRefund, mutations, body => ShopifyOrderMapper.MapOrder(body, Shop));

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 300)]
    public void AMutatedShopifyRefundsCreateBodyMapsOrIsAPayloadError(Mutation[] mutations) =>
        Shopify("refunds/create", RefundsCreatePayload.Json, mutations, body => ShopifyOrderMapper.MapRefund(body, Shop));

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 200)]
    public void AMutatedDanishShopifyRefundMapsOrIsAPayloadError(Mutation[] mutations) =>
        Shopify("refunds/create (Danish)", DanishOrderPayloads.FirstRefund, mutations, body => ShopifyOrderMapper.MapRefund(body, Shop));

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 200)]
    public void MutatedShopifyPrivacyBodiesParseOrArePayloadErrors(Mutation[] mutations)
    {
        Shopify("customers/data_request", PrivacyPayloads.CustomersDataRequest, mutations,
            body => ShopifyPrivacyPayloads.ParseCustomerDataRequest(JsonDocument.Parse(body).RootElement));
        Shopify("customers/redact", PrivacyPayloads.CustomersRedact, mutations,
            body => ShopifyPrivacyPayloads.ParseCustomerRedact(JsonDocument.Parse(body).RootElement));
        Shopify("shop/redact", PrivacyPayloads.ShopRedact, mutations,
            body => ShopifyPrivacyPayloads.ParseShopRedact(JsonDocument.Parse(body).RootElement));
    }

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 300)]
    public void AMutatedWooCommerceOrderMapsOrIsAPayloadError(Mutation[] mutations) =>
        Woo("order.updated", WooOrderMapperTests.ProtocolsOrder, mutations, order =>
        {
            WooOrderMapper.MapOrder(order, Shop);
            WooOrderMapper.RefundIds(order);
            WooOrderMapper.MapRefunds(order, Shop);
            WooOrderMapper.DeletedOrderId(order);
        });

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 300)]
    public void AMutatedWooCommerceRefundMapsOrIsAPayloadError(Mutation[] mutations)
    {
        using var order = JsonDocument.Parse(WooOrderMapperTests.ProtocolsOrder);
        Woo("GET /orders/727/refunds item", WooOrderMapperTests.RefundDetail, mutations, refund => WooOrderMapper.MapRefundDetail(order.RootElement, refund, Shop));
    }

    [Property(Arbitrary = [typeof(JsonMutations)], MaxTest = 200)]
    public void AWooCommerceRefundAgainstAMutatedOrderMapsOrIsAPayloadError(Mutation[] mutations)
    {
        using var refund = JsonDocument.Parse(WooOrderMapperTests.RefundDetail);
        Woo("order for a refund", WooOrderMapperTests.ProtocolsOrder, mutations, order => WooOrderMapper.MapRefundDetail(order, refund.RootElement, Shop));
    }

    // Regressions: what the properties found, each pinned to the message the inbox now parks the delivery with.

    [Fact]
    public void AnUnpairedSurrogateInAShopifyFieldIsAPayloadErrorNotAnInvalidOperation()
    {
        var body = OrdersCreatePayload.Json.Replace("\"created_at\": \"2025", "\"created_at\": \"\\udfff\\ud800x2025", StringComparison.Ordinal);
        var e = Assert.Throws<ShopifyPayloadException>(() => ShopifyOrderMapper.MapOrder(Encoding.UTF8.GetBytes(body), Shop));
        Assert.StartsWith("'created_at' is not valid text (an unpaired surrogate)", e.Message);
    }

    [Fact]
    public void AnUnpairedSurrogateInWooCommerceRefundMetaIsAPayloadErrorNotAnInvalidOperation()
    {
        using var order = JsonDocument.Parse(WooOrderMapperTests.ProtocolsOrder);
        using var refund = JsonDocument.Parse(WooOrderMapperTests.RefundDetail.Replace("\"value\":\"315\"", "\"value\":\"\\ud800\"", StringComparison.Ordinal));
        var e = Assert.Throws<WooPayloadException>(() => WooOrderMapper.MapRefundDetail(order.RootElement, refund.RootElement, Shop));
        Assert.Contains("is not valid text (an unpaired surrogate)", e.Message);
    }

    [Fact]
    public void AnAmountNoShopCouldSendIsAPayloadErrorNotAnOverflow()
    {
        // decimal.MaxValue as a unit price: price x quantity overflowed decimal before the amount was bounded.
        var order = System.Text.Json.Nodes.JsonNode.Parse(OrdersCreatePayload.Json)!;
        order["line_items"]![0]!["price_set"]!["shop_money"]!["amount"] = "79228162514264337593543950335";
        var e = Assert.Throws<ShopifyPayloadException>(() => ShopifyOrderMapper.MapOrder(Encoding.UTF8.GetBytes(order.ToJsonString()), Shop));
        Assert.Equal("'line_items[0].price_set.shop_money.amount' is not an amount a shop could send: \"79228162514264337593543950335\".", e.Message);
    }

    [Fact]
    public void ACurrencyThatIsNoCodeIsAPayloadErrorNotAnArgumentException()
    {
        // Currencies.Round threw ArgumentException for it while the lines of an edited order were scaled.
        var order = System.Text.Json.Nodes.JsonNode.Parse(DanishOrderPayloads.AfterSecondRefund)!;
        order["currency"] = "kr.";
        var e = Assert.Throws<ShopifyPayloadException>(() => ShopifyOrderMapper.MapOrder(Encoding.UTF8.GetBytes(order.ToJsonString()), Shop));
        Assert.Equal("'currency' is not a currency code: 'kr.'.", e.Message);
    }
}
