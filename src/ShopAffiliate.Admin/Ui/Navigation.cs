using Microsoft.AspNetCore.Http;

namespace ShopAffiliate.Admin.Ui;

/// <summary>One entry of a layout's navigation: the resource key of its label and the path it opens.</summary>
public sealed record NavItem(string Label, string Path)
{
    /// <summary>The current page is this item or under it (<c>/admin</c> itself only for the overview).</summary>
    public bool IsCurrent(PathString current) =>
        Path == "/admin" || Path == "/portal"
            ? current.Equals(Path, StringComparison.OrdinalIgnoreCase) || current.Equals(Path + "/", StringComparison.OrdinalIgnoreCase)
            : current.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);
}

public static class Navigation
{
    /// <summary>The merchant admin, in the order an affiliate manager works through it.</summary>
    public static readonly IReadOnlyList<NavItem> Admin =
    [
        new("Overview", "/admin"),
        new("Affiliates", "/admin/affiliates"),
        new("Coupons", "/admin/coupons"),
        new("Applications", "/admin/applications"),
        new("Commissions", "/admin/commissions"),
        new("Claims", "/admin/disputes"),
        new("Messages", "/admin/messages"),
        new("Announcements", "/admin/announcements"),
        new("Payouts", "/admin/payouts"),
        new("Materials", "/admin/creatives"),
        new("Campaigns", "/admin/campaigns"),
        new("Reports", "/admin/reports"),
        new("Settings", "/admin/settings"),
        new("Audit log", "/admin/audit"),
        new("Privacy", "/admin/privacy"),
    ];

    /// <summary>The affiliate portal; the portal pages own what is behind each entry.</summary>
    public static readonly IReadOnlyList<NavItem> Portal =
    [
        new("Overview", "/portal"),
        new("Links", "/portal/links"),
        new("Commissions", "/portal/commissions"),
        new("Payouts", "/portal/payouts"),
        new("Materials", "/portal/materials"),
        new("Settings", "/portal/settings"),
    ];
}
