namespace ShopAffiliate.Core.Data;

/// <summary>An entity that belongs to exactly one workspace; every query on it is filtered by the current workspace.</summary>
public interface ITenantOwned
{
    Guid WorkspaceId { get; }
}

/// <summary>The workspace the current request or job acts for. No workspace means tenant-owned queries return nothing.</summary>
public interface ITenantContext
{
    Guid? WorkspaceId { get; }
}

/// <summary>Scoped, settable tenant: authentication sets it per request, background jobs set it per unit of work.</summary>
public sealed class TenantContext : ITenantContext
{
    public Guid? WorkspaceId { get; set; }
}
