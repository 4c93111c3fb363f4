using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// The least role a page's POST handlers need, on the page model (all its handlers) or on one handler (which wins).
/// Without it an admin handler that changes something needs <see cref="StaffRole.Manager"/>: Analysts never change anything.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresRoleAttribute(StaffRole role) : Attribute
{
    public StaffRole Role { get; } = role;
}

/// <summary>
/// A handler that acts on the signed-in person, not on a program (sign in, set up, sign out, their own password): the
/// role check does not apply. The role test lists these pages, so adding one is a visible decision.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PersonalActionAttribute : Attribute;

/// <summary>
/// Every POST to an admin page is checked here, before its handler runs, against the signed-in staff member's role in
/// the program the request names (<c>ws</c> in the route, query or form; else their first program, as
/// <see cref="AdminSession.EnterAsync"/> picks). One check for every page, so a new page cannot forget it; pages
/// still hide the buttons a role cannot use, which is only a courtesy.
/// </summary>
public sealed class StaffRoleFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || context.HandlerInstance.GetType().IsDefined(typeof(PersonalActionAttribute)))
        {
            await next();
            return;
        }
        if (http.User.Identity?.IsAuthenticated != true)
        {
            context.Result = new ChallengeResult();
            return;
        }
        var needed = Needed(context.HandlerInstance.GetType(), context.HandlerMethod?.MethodInfo);
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var memberships = await AdminSession.MembershipsAsync(db, http.User, http.RequestAborted);
        var ws = await WorkspaceOfAsync(http);
        var membership = ws is { } id ? memberships.FirstOrDefault(m => m.WorkspaceId == id) : memberships.FirstOrDefault();
        if (membership is null)
        {
            // Not staff there: the same answer as a program that does not exist.
            context.Result = new NotFoundResult();
            return;
        }
        if (!membership.Role.MayDo(needed))
        {
            // A 403, not Forbid(): the staff cookie has no access-denied page to redirect to.
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        await next();
    }

    /// <summary>The handler's own attribute, else the page's, else Manager.</summary>
    public static StaffRole Needed(Type page, MethodInfo? handler) =>
        handler?.GetCustomAttribute<RequiresRoleAttribute>()?.Role
        ?? page.GetCustomAttribute<RequiresRoleAttribute>()?.Role
        ?? StaffRole.Manager;

    private static async Task<Guid?> WorkspaceOfAsync(HttpContext http)
    {
        string? raw = http.GetRouteValue("ws")?.ToString();
        if (string.IsNullOrEmpty(raw)) raw = http.Request.Query["ws"];
        if (string.IsNullOrEmpty(raw) && http.Request.HasFormContentType)
            raw = (await http.Request.ReadFormAsync(http.RequestAborted))["ws"];
        return Guid.TryParse(raw, out var id) ? id : null;
    }
}
