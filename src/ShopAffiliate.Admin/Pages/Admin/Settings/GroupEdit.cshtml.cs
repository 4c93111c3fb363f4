using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopAffiliate.Admin.Ui;
using ShopAffiliate.Core.Commissions;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Engine;
using ShopAffiliate.Core.Errors;
using ShopAffiliate.Core.Settings;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Admin.Pages.Admin.Settings;

/// <summary>One rule as the form shows it: a percentage in percent (10 = 10 %), an amount in money, ids comma-separated.</summary>
public sealed class RuleForm
{
    public string Scope { get; set; } = "all";
    public string? Ids { get; set; }
    public RuleKind Kind { get; set; } = RuleKind.Percent;
    [DisplayFormat(DataFormatString = "{0:0.####}", ApplyFormatInEditMode = true)] public decimal? Value { get; set; }
    public string? Currency { get; set; }
    public string? Name { get; set; }

    /// <summary>One step a line: "10000: 12" = from 10,000 of sales this period the rule pays 12 (% or amount).</summary>
    public string? Tiers { get; set; }

    public bool Remove { get; set; }

    /// <summary>A row the merchant left empty (the form always offers one more) is no rule.</summary>
    public bool IsBlank => Value is null && string.IsNullOrWhiteSpace(Ids) && string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Tiers);

    public static RuleForm From(CommissionRule rule, CultureInfo culture) => new()
    {
        Scope = rule.Scope.Kind.ToString().ToLowerInvariant(),
        Ids = string.Join(", ", rule.Scope.Ids),
        Kind = rule.Kind,
        Value = rule.Kind == RuleKind.Percent ? rule.Value * 100m : rule.Value,
        Currency = rule.Currency,
        Name = rule.Name,
        Tiers = string.Join('\n', rule.Tiers.OrderBy(t => t.SalesThreshold).Select(t =>
            $"{t.SalesThreshold.ToString("0.##", culture)}: {(rule.Kind == RuleKind.Percent ? t.Value * 100m : t.Value).ToString("0.####", culture)}")),
    };
}

/// <summary>The group as the form shows it; the second-tier rate in percent.</summary>
public sealed class GroupForm
{
    public string? Name { get; set; }
    public bool IsDefault { get; set; }
    [DisplayFormat(DataFormatString = "{0:0.####}", ApplyFormatInEditMode = true)] public decimal? SecondTierPercent { get; set; }
    public TierPeriod TierPeriod { get; set; } = TierPeriod.Month;
    public List<RuleForm> Rules { get; set; } = [];
}

/// <summary>The example order the merchant tries the rules on (amounts as the customer pays them, VAT included).</summary>
public sealed class ExampleForm
{
    public decimal? Amount { get; set; }
    public decimal? VatPercent { get; set; }
    public string? Product { get; set; }
    public string? Collection { get; set; }
    public string? Coupon { get; set; }
    public decimal? SalesBefore { get; set; }
}

/// <summary>
/// Create or edit a commission group, with a live example: an order priced by the engine's own
/// <see cref="CommissionCalculator"/> under the rules in the form (<see cref="CommissionExample"/>). The example updates
/// as the form changes (ui.js posts the form to the Preview handler and shows the fragment it answers) and without
/// script through the Preview button; previewing saves nothing. Saving goes through <see cref="CommissionGroupService"/>,
/// the groups API's code path, audited. Owners and managers change; analysts read, and see the example of the saved rules.
/// </summary>
[Authorize]
public sealed class GroupEditModel(AppDbContext db, TenantContext tenant, CommissionGroupService groups, UiContext ui, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Ws { get; set; }
    /// <summary>The group edited; none for a new one.</summary>
    public Guid? Id { get; private set; }
    [BindProperty] public GroupForm Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public ExampleForm Example { get; set; } = new();

    public Membership Program { get; private set; } = null!;
    public WorkspaceSettings Settings { get; private set; } = null!;
    public GroupSummary? Existing { get; private set; }
    public ExampleResult? Result { get; private set; }
    public CommissionPlan? Plan { get; private set; }
    public RuleWords Words { get; private set; } = null!;
    public bool CanChange => Program.Role.MayDo(StaffRole.Manager);

    /// <summary>Product ids the rules name, offered in the example's product field.</summary>
    public IEnumerable<string> Products => Input.Rules.Where(r => r.Scope == "product" && !r.Remove).SelectMany(r => Split(r.Ids)).Distinct();

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (await EnterAsync(id, ct) is { } denied) return denied;
        if (Existing is { Group: var g })
        {
            Input = new GroupForm
            {
                Name = g.Name, IsDefault = g.IsDefault, SecondTierPercent = g.SecondTierRate == 0 ? null : g.SecondTierRate * 100m, TierPeriod = g.TierPeriod,
                Rules = CommissionPlans.ReadRules(g.RulesJson).Select(r => RuleForm.From(r, CultureInfo.CurrentCulture)).ToList(),
            };
        }
        else
        {
            // A new group starts from the program's default rate on everything.
            Input = new GroupForm { Rules = [new RuleForm { Value = Settings.DefaultCommissionRate * 100m }] };
        }
        await PreviewAsync(validate: false, ct);
        WithBlankRow();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (await EnterAsync(id, ct) is { } denied) return denied;
        var (request, rows) = ToRequest();
        if (!ModelState.IsValid) return await InvalidAsync(ct);
        try
        {
            var saved = Existing is null
                ? await groups.CreateAsync(Program.WorkspaceId, request, ct)
                : await groups.UpdateAsync(Existing.Group.Id, request, ct);
            TempData.SetStatus(StatusKind.Success, text["The group {0} is saved. New orders of its affiliates follow its rules from now on.", saved.Name].Value);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationFailedException)
        {
            // The same check as the service's, for the messages at their fields in the page's language.
            ShowProblems((await groups.CheckAsync(Program.WorkspaceId, request, ct)).Problems, rows);
            if (string.IsNullOrWhiteSpace(Input.Name) || Input.Name.Trim().Length > 200)
                ModelState.AddModelError($"{nameof(Input)}.{nameof(GroupForm.Name)}", text["A group name of 1 to 200 characters is required."]);
            return await InvalidAsync(ct);
        }
        catch (ConflictException)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(GroupForm.Name)}", text["Another group is called {0}: choose another name.", Input.Name!.Trim()]);
            var page = await InvalidAsync(ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return page;
        }
        return RedirectToPage("/Admin/Settings/Groups", new { ws = Ws });
    }

    /// <summary>Prices the example under the rules as posted; saves nothing. A fetch (ui.js) gets the example's fragment only.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid? id, CancellationToken ct)
    {
        if (await EnterAsync(id, ct) is { } denied) return denied;
        if (ModelState.IsValid) await PreviewAsync(validate: true, ct);
        if (Request.Headers["X-Requested-With"] == "fetch") return Partial("_GroupExample", this);
        WithBlankRow();
        return Page();
    }

    private async Task PreviewAsync(bool validate, CancellationToken ct)
    {
        var (request, rows) = ToRequest();
        var (plan, problems) = await groups.CheckAsync(Program.WorkspaceId, request, ct);
        if (validate) ShowProblems(problems, rows);
        Plan = plan;
        Example.Amount ??= 500m;
        Example.VatPercent ??= Program.Currency == "DKK" ? 25m : 0m;
        Example.Product ??= Products.FirstOrDefault();
        if (Example.Amount is < 0 or > CommissionExample.MaxAmount)
        {
            ModelState.AddModelError($"{nameof(Example)}.{nameof(ExampleForm.Amount)}", text["The example amount is 0 to 1,000,000,000."]);
            return;
        }
        if (Example.VatPercent is < 0 or > 100)
        {
            ModelState.AddModelError($"{nameof(Example)}.{nameof(ExampleForm.VatPercent)}", text["VAT is 0 to 100 %."]);
            return;
        }
        if (plan is null) return;
        Result = CommissionExample.Compute(plan, new ExampleOrder(Example.Amount.Value, Example.VatPercent.Value, Example.Product, Example.Collection,
            Example.Coupon, Example.SalesBefore ?? 0m), Program.Currency);
    }

    /// <summary>The form as the API's request (fractions for percentages), and which form row each rule came from.</summary>
    private (GroupRequest Request, List<int> Rows) ToRequest()
    {
        var rows = new List<int>();
        var rules = new List<RuleDto>();
        for (var i = 0; i < Input.Rules.Count; i++)
        {
            var r = Input.Rules[i];
            if (r.Remove || r.IsBlank) continue;
            rows.Add(i);
            var percent = r.Kind == RuleKind.Percent;
            rules.Add(new RuleDto(r.Scope, Split(r.Ids).ToList(), r.Kind, percent ? r.Value / 100m : r.Value,
                ParseTiers(r.Tiers, percent, i), percent ? null : r.Currency, r.Name));
        }
        return (new GroupRequest(Input.Name, Input.IsDefault, Input.SecondTierPercent / 100m, Input.TierPeriod, rules), rows);
    }

    private List<TierDto> ParseTiers(string? lines, bool percent, int row)
    {
        var tiers = new List<TierDto>();
        foreach (var line in (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split([':', '='], 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.CurrentCulture, out var from)
                && decimal.TryParse(parts[1].TrimEnd('%', ' '), NumberStyles.Number, CultureInfo.CurrentCulture, out var value))
            {
                tiers.Add(new TierDto(from, percent ? value / 100m : value));
            }
            else
            {
                AddError(RuleField(row, nameof(RuleForm.Tiers)), text["'{0}' is not a step: write the sales, a colon and the rate, such as 10000: 12.", line]);
            }
        }
        return tiers;
    }

    private void ShowProblems(IReadOnlyList<PlanProblem> problems, List<int> rows)
    {
        foreach (var p in problems)
        {
            var message = text[p.Message, p.Args].Value;
            var key = p.Field switch
            {
                "name" => $"{nameof(Input)}.{nameof(GroupForm.Name)}",
                "secondTierRate" => $"{nameof(Input)}.{nameof(GroupForm.SecondTierPercent)}",
                "rules" => "",
                _ when p.Field.StartsWith("rules[", StringComparison.Ordinal) => RuleProblemField(p.Field, rows),
                _ => "",
            };
            AddError(key, message);
        }
    }

    /// <summary>Each message once: the form is read again to show the example after a refusal.</summary>
    private void AddError(string key, string message)
    {
        if (ModelState[key]?.Errors.Any(e => e.ErrorMessage == message) != true) ModelState.AddModelError(key, message);
    }

    /// <summary><c>rules[1].value</c> of the request is <c>Input.Rules[3].Value</c> of the form when rows were left out.</summary>
    private static string RuleProblemField(string field, List<int> rows)
    {
        var close = field.IndexOf(']', StringComparison.Ordinal);
        var index = int.Parse(field[6..close], CultureInfo.InvariantCulture);
        var name = field[(close + 2)..];
        return RuleField(rows[index], char.ToUpperInvariant(name[0]) + name[1..]);
    }

    private static string RuleField(int row, string name) => $"{nameof(Input)}.{nameof(GroupForm.Rules)}[{row}].{name}";

    private static IEnumerable<string> Split(string? ids) =>
        (ids ?? "").Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One empty rule row more, which is how a rule is added without script.</summary>
    private void WithBlankRow()
    {
        if (CanChange && (Input.Rules.Count == 0 || !Input.Rules[^1].IsBlank)) Input.Rules.Add(new RuleForm());
    }

    /// <summary>The form again with its messages (and the example, where the rules allow one), as a 422.</summary>
    private async Task<PageResult> InvalidAsync(CancellationToken ct)
    {
        await PreviewAsync(validate: false, ct);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        WithBlankRow();
        return Page();
    }

    private async Task<IActionResult?> EnterAsync(Guid? id, CancellationToken ct)
    {
        var program = await AdminSession.EnterPageAsync(db, tenant, ui, User, Ws, ct);
        if (program is null) return NotFound();
        Program = program;
        Ws = program.WorkspaceId;
        Words = new RuleWords(text, program.Currency);
        Settings = await SettingsStore.GetAsync(db, program.WorkspaceId, ct);
        Id = id;
        if (id is { } groupId && (Existing = await groups.GetAsync(groupId, ct)) is null) return NotFound();
        return null;
    }
}
