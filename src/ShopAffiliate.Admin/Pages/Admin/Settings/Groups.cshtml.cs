using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Settings;

/// <summary>
/// The program's commission groups: each with its rules in words and how many affiliates it has, the default marked.
/// Owners and managers create, edit (<see cref="GroupEditModel"/>) and delete a group nobody is in; analysts read.
/// </summary>
[Authorize]
public sealed class GroupsModel(AppDbContext db, TenantContext tenant, CommissionGroupService groups, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }

    public Membership Program { get; private set; } = null!;
    public List<GroupSummary> Groups { get; private set; } = [];
    public WorkspaceSettings Settings { get; private set; } = null!;
    public RuleWords Words { get; private set; } = null!;
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (await EnterAsync(ct) is { } denied) return denied;
        try
        {
            await groups.DeleteAsync(id, onlyWithoutAffiliates: true, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ConflictException)
        {
            var members = (await groups.GetAsync(id, ct))?.Affiliates ?? 0;
            ModelState.AddModelError("", text[CommissionGroupService.GroupInUse, members]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return await LoadAsync(ct) ?? Page();
        }
        TempData.SetStatus(StatusKind.Success, text["The group is deleted."].Value);
        return RedirectToPage(new { ws = Ws });
    }

    /// <summary>Every rule of a stored group in words.</summary>
    public IEnumerable<string> RulesOf(CommissionGroup group) => CommissionPlans.ReadRules(group.RulesJson).Select(Words.Describe);

    private async Task<IActionResult?> EnterAsync(CancellationToken ct)
    {
        var program = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (program is null) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        Words = new RuleWords(text, program.Currency);
        return null;
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (Program is null && await EnterAsync(ct) is { } denied) return denied;
        Groups = await groups.ListAsync(ct);
        Settings = await SettingsStore.GetAsync(db, Program!.WorkspaceId, ct);
        return null;
    }
}
