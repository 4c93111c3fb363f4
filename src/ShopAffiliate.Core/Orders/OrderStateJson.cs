using System.Text.Json;
using System.Text.Json.Serialization;
using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Orders;

/// <summary>How the engine's per-order state is stored. Enums as names, so reordering an enum cannot corrupt rows.</summary>
public static class OrderStateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(OrderCommissionState state) => JsonSerializer.Serialize(state, Options);

    public static OrderCommissionState Deserialize(string json) =>
        JsonSerializer.Deserialize<OrderCommissionState>(json, Options)
        ?? throw new InvalidOperationException("An order's stored state is empty.");
}
