using ShopAffiliate.Core.Settings;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// The program a page shows, for the layout and the widgets: its navigation links keep <c>?ws=</c>, dates are shown in
/// its time zone. A page model fills it once it knows the program (scoped: one per request).
/// </summary>
public sealed class UiContext
{
    public Membership? Program { get; set; }

    /// <summary>An IANA id; <see cref="ProgramTimeZone.Default"/> until a page sets the program's.</summary>
    public string TimeZone { get; set; } = ProgramTimeZone.Default;

    /// <summary>Programs the signed-in staff member can switch to (more than one for an agency user).</summary>
    public IReadOnlyList<Membership> Programs { get; set; } = [];

    /// <summary>Set when the page is shown inside the Shopify admin (the request carried its session token).</summary>
    public EmbeddedFrame? Embedded { get; set; }

    /// <summary>
    /// <paramref name="path"/> with the current program's <c>ws</c> added, so a link stays in that program; inside the
    /// Shopify admin also <c>shop</c>, <c>host</c> and <c>embedded=1</c>, so the next page knows where it is before it
    /// has a session token (App Bridge then gives it one; see <see cref="EmbeddedFrame"/>).
    /// </summary>
    public string Link(string path)
    {
        var query = new List<string>();
        if (Program is not null) query.Add("ws=" + Program.WorkspaceId);
        if (Embedded is not null) query.AddRange(Embedded.Query);
        return query.Count == 0 ? path : $"{path}{(path.Contains('?') ? '&' : '?')}{string.Join("&", query)}";
    }
}
