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

    /// <summary><paramref name="path"/> with the current program's <c>ws</c> added, so a link stays in that program.</summary>
    public string Link(string path) =>
        Program is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}ws={Program.WorkspaceId}";
}
