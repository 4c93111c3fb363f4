using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>/admin/settings/groups in Chromium: a rule changed, the live example following it, saved and read back by the API; an analyst reads only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminGroupsBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ChangingARuleUpdatesTheLiveExampleAndSavingItIsWhatTheApiReturns()
    {
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?> { ["Bootstrap:Currency"] = "DKK" });
        var id = await CreateGroupAsync(app);
        await using var context = await chromium.NewContextAsync();
        var tab = await ShellBrowserTests.SignInAsync(context, app);

        await tab.GotoAsync($"{app.BaseUrl}/admin/settings/groups/edit?id={id}");
        var result = tab.Locator("[data-testid=example-result]");
        await Assertions.Expect(result).ToHaveTextAsync("An order of DKK 500.00 (incl. 25% VAT) with product mug pays DKK 40.00.");
        await tab.Locator("[data-testid=rule][data-index='1'] [data-testid=rule-value]").FillAsync("15");
        await Assertions.Expect(result).ToHaveTextAsync("An order of DKK 500.00 (incl. 25% VAT) with product mug pays DKK 60.00."); // fetched, no reload
        await tab.Locator("[data-testid=example-product]").FillAsync("sock");
        await Assertions.Expect(result).ToHaveTextAsync("An order of DKK 500.00 (incl. 25% VAT) with product sock pays DKK 40.00."); // the all-products rule
        await tab.Locator("[data-testid=example-amount]").FillAsync("1250");
        await Assertions.Expect(result).ToHaveTextAsync("An order of DKK 1,250.00 (incl. 25% VAT) with product sock pays DKK 100.00.");
        Assert.EndsWith($"/admin/settings/groups/edit?id={id}", tab.Url);
        await tab.GetByTestId("save-group").ClickAsync();

        await tab.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin/settings/groups(\\?|$)"));
        await Assertions.Expect(tab.Locator("[role=status]").First).ToContainTextAsync("is saved");
        using var api = app.ApiClient();
        var group = await api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{id}");
        var rules = group.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(0.1m, rules[0].GetProperty("value").GetDecimal());
        Assert.Equal(0.15m, rules[1].GetProperty("value").GetDecimal());
        Assert.Equal(["mug"], rules[1].GetProperty("ids").EnumerateArray().Select(i => i.GetString()));

        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/settings/groups", "admin", "groups", async (page, language) =>
        {
            await Assertions.Expect(page.Locator("[data-testid=group-row]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid=group-row]")).ToContainTextAsync(language == "da" ? "15 % på produkterne mug" : "15% on products mug");
        });
        await PageCheck.VisitAsync(context, $"{app.BaseUrl}/admin/settings/groups/edit?id={id}", "admin", "group-edit", async (page, language) =>
            await Assertions.Expect(page.Locator("[data-testid=example-result]")).ToHaveTextAsync(language == "da"
                ? "En ordre på 500,00 kr. (inkl. 25 % moms) med produktet mug giver 60,00 kr. i provision."
                : "An order of DKK 500.00 (incl. 25% VAT) with product mug pays DKK 60.00."));
    }

    [Fact]
    public async Task AnAnalystSeesTheGroupReadOnlyAndAHandPostedFormIsRefusedAndChangesNothing()
    {
        await using var app = BrowserApp.Start(bootstrapped: true, new Dictionary<string, string?> { ["Bootstrap:Currency"] = "DKK" });
        var id = await CreateGroupAsync(app);
        await app.StaffAsync("analyst@shop.example", StaffRole.Analyst);
        await using var context = await chromium.NewContextAsync();
        var tab = await ShellBrowserTests.SignInAsync(context, app, "analyst@shop.example", Staff.Password);

        await tab.GotoAsync($"{app.BaseUrl}/admin/settings/groups/edit?id={id}");
        await Assertions.Expect(tab.GetByTestId("save-group")).ToHaveCountAsync(0);
        await Assertions.Expect(tab.Locator("[data-testid=rule-value]").First).ToBeDisabledAsync();
        await tab.Locator("[data-testid=example-amount]").FillAsync("1000");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Show the example" }).ClickAsync();
        await tab.WaitForURLAsync(new System.Text.RegularExpressions.Regex("Example.Amount=1000"));
        await Assertions.Expect(tab.Locator("[data-testid=example-result]")).ToHaveTextAsync("An order of DKK 1,000.00 (incl. 25% VAT) with product mug pays DKK 80.00.");
        await PageCheck.SaveAsync(tab, "admin", "group-edit-analyst-en-1280");
        var token = await tab.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var posted = await tab.APIRequest.PostAsync($"{app.BaseUrl}/admin/settings/groups/edit?id={id}", new()
        {
            Form = FormOf(tab.APIRequest, ("__RequestVerificationToken", token), ("Input.Name", "Taken over"), ("Input.Rules[0].Value", "90")),
        });

        Assert.Equal(403, posted.Status);
        using var api = app.ApiClient();
        var group = await api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{id}");
        Assert.Equal("Bloggers", group.GetProperty("name").GetString());
        Assert.Equal(0.1m, group.GetProperty("rules")[0].GetProperty("value").GetDecimal());
    }

    /// <summary>10 % on everything, 10 % on the product "mug": the second rule wins on a mug.</summary>
    private static async Task<Guid> CreateGroupAsync(BrowserApp app)
    {
        using var api = app.ApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/groups", new
        {
            name = "Bloggers",
            rules = new object[]
            {
                new { scope = "all", kind = "Percent", value = 0.1m },
                new { scope = "product", ids = new[] { "mug" }, kind = "Percent", value = 0.1m },
            },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }
}
