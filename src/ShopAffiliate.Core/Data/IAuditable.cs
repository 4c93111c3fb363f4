namespace ShopAffiliate.Core.Data;

/// <summary>Entities whose creation and last-change times are stamped by <see cref="AuditInterceptor"/>.</summary>
public interface IAuditable
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}
