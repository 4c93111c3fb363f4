using ShopAffiliate.Core.Commissions;

namespace ShopAffiliate.Admin.Pages.Admin.Campaigns;

/// <summary>The model of <c>_CampaignFields</c>: the values to show and the program's groups to choose from.</summary>
public sealed record CampaignFieldsModel(CampaignForm Form, IReadOnlyList<CommissionGroup> Groups);
