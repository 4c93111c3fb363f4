using ShopAffiliate.Core.Campaigns;
using ShopAffiliate.Core.Communication;

namespace ShopAffiliate.Admin.Pages.Admin.Campaigns;

/// <summary>
/// The create and edit form: name, dates (the program's days) and who sees it. <see cref="Visibility"/> is <c>all</c>,
/// <c>group:{id}</c> (<see cref="Guid.Empty"/> = the default group) or <c>keep</c> (a segment set through the API that
/// the form does not offer, kept as it is).
/// </summary>
public sealed class CampaignForm
{
    public string? Name { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string? Visibility { get; set; } = "all";

    public static string VisibilityOf(Segment segment) => segment.Kind switch
    {
        SegmentKind.All => "all",
        SegmentKind.Group => $"group:{segment.GroupId ?? Guid.Empty}",
        _ => "keep",
    };

    public static CampaignForm Of(Campaign c) => new() { Name = c.Name, StartsOn = c.StartsOn, EndsOn = c.EndsOn, Visibility = VisibilityOf(c.Segment) };

    public CampaignInput ToInput(Segment? current)
    {
        var segment = Visibility switch
        {
            "keep" when current is not null => current,
            { } v when v.StartsWith("group:", StringComparison.Ordinal) && Guid.TryParse(v["group:".Length..], out var g) => new Segment(SegmentKind.Group, g),
            _ => Segment.Everyone,
        };
        return new CampaignInput(Name, StartsOn, EndsOn, segment);
    }
}
