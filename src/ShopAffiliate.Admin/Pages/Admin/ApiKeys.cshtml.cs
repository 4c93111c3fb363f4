using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Audit;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin;

/// <summary>Create (shown once) and revoke the workspace's API keys: owners; managers see them, analysts not at all.</summary>
[Authorize, RequiresRole(StaffRole.Owner)]
public sealed class ApiKeysModel(AppDbContext db, TenantContext tenant, AuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    [BindProperty, Required(ErrorMessage = "Name the key after what uses it."), StringLength(100)]
    public string? Name { get; set; }

    public Membership? Workspace { get; private set; }
    public List<ApiKey> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }
    public string? Message { get; private set; }

    /// <summary>Keys open the whole API: only owners create or revoke them.</summary>
    public bool CanChange => Workspace?.Role == StaffRole.Owner;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } denied) return denied;
        if (!ModelState.IsValid) return Page();
        NewKey = ApiKey.Generate();
        var key = ApiKey.For(Workspace!.WorkspaceId, Name!.Trim(), NewKey);
        db.ApiKeys.Add(key);
        audit.Record(AuditActions.ApiKeyCreated, key);
        await db.SaveChangesAsync(ct);
        return await LoadAsync(ct) ?? Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } denied) return denied;
        // Another program's key (or none) is not found, rather than "already revoked": that would be untrue.
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct) is not { } key) return NotFound();
        var revoked = key.RevokedAt is null;
        if (revoked)
        {
            key.RevokedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(AuditActions.ApiKeyRevoked, key);
            await db.SaveChangesAsync(ct);
        }
        Message = revoked ? "The key was revoked; requests using it are now refused." : "That key was already revoked.";
        ModelState.Clear();
        return await LoadAsync(ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        Workspace = await AdminSession.EnterAsync(db, tenant, User, Ws, ct);
        if (Workspace is null) return NotFound();
        if (Workspace.Role == StaffRole.Analyst) return Forbid();
        // A store admin inside the Shopify admin (session token, at most a manager) is not shown the program's API keys.
        if (User.HasClaim(c => c.Type == AdminSession.EmbeddedWorkspaceClaim) && Workspace.Role != StaffRole.Owner)
            return StatusCode(Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden);
        Keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ToListAsync(ct);
        return null;
    }
}
