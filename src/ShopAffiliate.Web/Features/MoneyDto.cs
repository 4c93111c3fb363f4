using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Web.Features;

/// <summary>Money on the wire: a decimal string in the currency's minor units, with its currency (API.md).</summary>
public sealed record MoneyDto(string Amount, string Currency)
{
    public static MoneyDto Of(decimal amount, string currency) => new(Currencies.Format(amount, currency), currency);

    public static MoneyDto Of(Money money) => Of(money.Amount, money.Currency);
}

/// <summary>A reason for a screening or commission decision; shown to the affiliate.</summary>
public sealed record ReasonRequest(string? Reason)
{
    public string Require(string action)
    {
        var reason = Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 2000)
            throw Core.Errors.ValidationFailedException.For("reason", $"Give a reason (up to 2000 characters) to {action}: the affiliate sees it.");
        return reason;
    }
}
