namespace ShopAffiliate.Core.Engine;

public readonly record struct AffiliateId(Guid Value)
{
    public override string ToString() => Value.ToString("N");
}

public readonly record struct ShopId(Guid Value)
{
    public override string ToString() => Value.ToString("N");
}

/// <summary>The platform's order id as text (Shopify and Woo ids are both numbers); only unique within its shop.</summary>
public readonly record struct ExternalOrderId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>What identifies an order across shops: the external id scoped by its shop.</summary>
public readonly record struct OrderKey(ShopId Shop, ExternalOrderId Order)
{
    public override string ToString() => $"{Shop}:{Order}";
}

/// <summary>
/// A customer identity for lifetime links and self-referral checks: a platform customer id (scoped by shop, because
/// customer 123 in a Shopify store and customer 123 in a Woo store are different people) or an e-mail address
/// (lower case, valid across the workspace's shops). Build it with <see cref="ForCustomer"/> or <see cref="ForEmail"/>.
/// </summary>
public readonly record struct CustomerKey(ShopId? Shop, string Value)
{
    public static CustomerKey ForCustomer(ShopId shop, string customerId) => new(shop, customerId.Trim());

    public static CustomerKey ForEmail(string email) => new(null, email.Trim().ToLowerInvariant());

    public bool IsEmail => Shop is null;

    public override string ToString() => Shop is { } shop ? $"{shop}:{Value}" : Value;
}
