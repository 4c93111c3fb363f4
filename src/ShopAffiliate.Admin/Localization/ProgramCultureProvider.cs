using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;

namespace ShopAffiliate.Admin.Localization;

/// <summary>
/// The program's default language (<c>WorkspaceSettings.DefaultLanguage</c>), asked after the person's own saved
/// choice and before <c>Accept-Language</c>. The program is the one the page names: <c>/p/{slug}</c> or
/// <c>/portal/{slug}</c> by its slug, an admin page by <c>?ws=</c>, else the signed-in staff member's first program.
/// Only UI pages pay for the lookup; the API and the tracking redirect never reach it.
/// </summary>
public sealed class ProgramCultureProvider : RequestCultureProvider
{
    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var path = httpContext.Request.Path;
        if (!path.StartsWithSegments("/admin") && !path.StartsWithSegments("/portal") && !path.StartsWithSegments("/p"))
            return null;
        var db = httpContext.RequestServices.GetRequiredService<AppDbContext>();
        var ct = httpContext.RequestAborted;
        var settings = db.WorkspaceSettings.IgnoreQueryFilters();

        string? language;
        if (httpContext.GetRouteValue("slug") is string slug)
        {
            language = await (from w in db.Workspaces
                              join s in settings on w.Id equals s.WorkspaceId
                              where w.Slug == slug
                              select s.DefaultLanguage).FirstOrDefaultAsync(ct);
        }
        else if (Guid.TryParse(httpContext.Request.Query["ws"], out var ws))
        {
            language = await settings.Where(s => s.WorkspaceId == ws).Select(s => s.DefaultLanguage).FirstOrDefaultAsync(ct);
        }
        else if (AdminSession.UserId(httpContext.User) is { } userId)
        {
            language = await (from m in db.StaffMembers.IgnoreQueryFilters()
                              join w in db.Workspaces on m.WorkspaceId equals w.Id
                              join s in settings on m.WorkspaceId equals s.WorkspaceId
                              where m.UserId == userId
                              orderby w.Name
                              select s.DefaultLanguage).FirstOrDefaultAsync(ct);
        }
        else
        {
            return null;
        }
        return UiCultures.Normalize(language) is { } culture ? new ProviderCultureResult(culture) : null;
    }
}
