using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Identity;

namespace ShopAffiliate.Core.Workspaces;

public sealed record ProvisionedWorkspace(Workspace Workspace, AppUser Owner, string ApiKey);

/// <summary>Creates a workspace with its owner and first API key, in one transaction.</summary>
public sealed class WorkspaceProvisioner(AppDbContext db, UserManager<AppUser> users)
{
    /// <param name="apiKey">A key chosen by the operator (headless bootstrap); null generates one.</param>
    /// <param name="existingOwner">An already signed-in user who becomes owner (an agency adding a program).</param>
    public async Task<ProvisionedWorkspace> CreateAsync(
        string workspaceName, string currency, string? ownerEmail, string? ownerPassword,
        string? apiKey = null, AppUser? existingOwner = null, CancellationToken cancellationToken = default)
    {
        workspaceName = workspaceName.Trim();
        if (workspaceName.Length is 0 or > 200)
            throw ValidationFailedException.For("workspaceName", "A program name of 1 to 200 characters is required.");
        currency = currency.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            throw ValidationFailedException.For("currency", $"'{currency}' is not an ISO 4217 currency code such as USD or DKK.");

        // Identity stores users outside any transaction scope of its own; one transaction keeps a half-made owner out.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        var owner = existingOwner;
        if (owner is null)
        {
            if (string.IsNullOrWhiteSpace(ownerEmail) || string.IsNullOrEmpty(ownerPassword))
                throw ValidationFailedException.For("ownerEmail", "An owner email and password are required.");
            owner = new AppUser { UserName = ownerEmail.Trim(), Email = ownerEmail.Trim(), EmailConfirmed = true };
            var created = await users.CreateAsync(owner, ownerPassword);
            if (!created.Succeeded)
            {
                throw new ValidationFailedException(
                    "The owner account could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)),
                    new Dictionary<string, string[]> { ["owner"] = created.Errors.Select(e => e.Description).ToArray() });
            }
        }

        var workspace = new Workspace
        {
            Name = workspaceName,
            Slug = await UniqueSlugAsync(workspaceName, cancellationToken),
            Currency = currency,
        };
        db.Workspaces.Add(workspace);
        db.StaffMembers.Add(new StaffMember { WorkspaceId = workspace.Id, UserId = owner.Id, Role = StaffRole.Owner });

        apiKey ??= ApiKey.Generate();
        db.ApiKeys.Add(ApiKey.For(workspace.Id, "Default", apiKey));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new ProvisionedWorkspace(workspace, owner, apiKey);
    }

    /// <summary>
    /// A workspace created by installing the app from a shop's admin: no owner account yet (the shop's staff work
    /// through the embedded admin with session tokens) and no API key until someone creates one.
    /// </summary>
    public async Task<Workspace> CreateForShopAsync(string name, string currency, CancellationToken ct)
    {
        var workspace = new Workspace
        {
            Name = name.Length is > 0 and <= 200 ? name : "Affiliate program",
            Slug = await UniqueSlugAsync(name, ct),
            Currency = currency.Trim().ToUpperInvariant() is { Length: 3 } c ? c : "USD",
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(ct);
        return workspace;
    }

    /// <summary>
    /// A program's currency follows its first shop: when <paramref name="shopId"/> is the only shop of the workspace and
    /// no order was booked yet, the workspace takes the shop's <paramref name="currency"/> (a program set up by hand
    /// before its store was connected says USD until then). Later shops, or a program with orders, keep theirs.
    /// Saves nothing; the caller saves with its own changes.
    /// </summary>
    public async Task AdoptFirstShopCurrencyAsync(Guid workspaceId, Guid shopId, string currency, CancellationToken ct)
    {
        currency = currency.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            return;
        if (await db.Shops.IgnoreQueryFilters().AnyAsync(s => s.WorkspaceId == workspaceId && s.Id != shopId, ct)
            || await db.Orders.IgnoreQueryFilters().AnyAsync(o => o.WorkspaceId == workspaceId, ct))
            return;
        var workspace = await db.Workspaces.FirstAsync(w => w.Id == workspaceId, ct);
        workspace.Currency = currency;
    }

    private async Task<string> UniqueSlugAsync(string name, CancellationToken cancellationToken)
    {
        var baseSlug = Slugify(name);
        var slug = baseSlug;
        for (var n = 2; await db.Workspaces.AnyAsync(w => w.Slug == slug, cancellationToken); n++)
        {
            slug = $"{baseSlug}-{n}";
        }
        return slug;
    }

    public static string Slugify(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterOrDigit(lower)) sb.Append(lower);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length > 60) slug = slug[..60].TrimEnd('-');
        return slug.Length == 0 ? "program" : slug;
    }
}
