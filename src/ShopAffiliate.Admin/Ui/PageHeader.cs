using Microsoft.AspNetCore.Html;

namespace ShopAffiliate.Admin.Ui;

/// <summary>The model of <c>_PageHeader</c>: <c>&lt;partial name="_PageHeader" model="new PageHeader(T["Affiliates"]) { ... }" /&gt;</c>.</summary>
public sealed record PageHeader(string Title)
{
    public string? Subtitle { get; init; }
    public string? BackHref { get; init; }
    public string? BackText { get; init; }
    public IHtmlContent? Actions { get; init; }
}
