using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Core.Errors;

namespace ShopAffiliate.Admin.Ui;

/// <summary>How an admin page runs a change: post-redirect-get with its outcome, or the page again with the service's message.</summary>
public static class PageChanges
{
    /// <summary>
    /// Runs <paramref name="change"/> and redirects back with its success message; a 404 for something not in the
    /// program; a rule broken (422) or a clash with the current state (409) shows the page again (<paramref name="reload"/>)
    /// with the service's own message, which says what to do.
    /// </summary>
    public static async Task<IActionResult> RunAsync(PageModel page, Func<Task<LocalizedString>> change, Func<Task<IActionResult?>> reload, object routeValues)
    {
        try
        {
            page.TempData.SetStatus(StatusKind.Success, (await change()).Value);
        }
        catch (NotFoundException)
        {
            return page.NotFound();
        }
        catch (DomainException e) when (e is ValidationFailedException or ConflictException)
        {
            page.ModelState.AddModelError("", e.Message);
            page.Response.StatusCode = e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            return await reload() ?? page.Page();
        }
        return page.RedirectToPage(routeValues);
    }
}
