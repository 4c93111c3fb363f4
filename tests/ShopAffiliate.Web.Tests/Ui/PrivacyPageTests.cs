using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Ui;

/// <summary>/admin/privacy over HTTP: the program's privacy requests, newest first, by kind, 25 a page, as CSV; an Analyst reads it.</summary>
public abstract partial class PrivacyPageTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task AnAnalystSeesTheProgramsRequestsFilteredPagedAndAsCsvAndNoneOfAnotherProgram()
    {
        var s = new Scenario(App);
        var workspace = await s.WorkspaceIdAsync();
        Guid other;
        await using (var scope = App.Scope())
        {
            other = (await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
                .CreateAsync("Privacy Other", "EUR", $"owner.{Guid.NewGuid():N}@example.com", "another-password-1")).Workspace.Id;
        }
        var start = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        var kinds = new[] { PrivacyRequestKind.DataRequest, PrivacyRequestKind.CustomerRedact, PrivacyRequestKind.ShopRedact };
        await s.WithDbAsync(db =>
        {
            for (var i = 0; i < 27; i++)
            {
                var kind = i < 3 ? PrivacyRequestKind.AffiliateErasure : kinds[i % 3];
                db.PrivacyRequests.Add(new PrivacyRequest
                {
                    WorkspaceId = workspace, ShopDomain = kind == PrivacyRequestKind.AffiliateErasure ? "" : "knits.myshopify.com", Kind = kind,
                    CustomerReference = $"ref-{i:00}", Outcome = $"Outcome number {i:00}.", ReceivedAt = start.AddHours(i), CompletedAt = start.AddHours(i),
                });
            }
            db.PrivacyRequests.Add(new PrivacyRequest
            {
                WorkspaceId = other, ShopDomain = "other.myshopify.com", Kind = PrivacyRequestKind.ShopRedact, Outcome = "Another program's request.",
                ReceivedAt = start.AddDays(5), CompletedAt = start.AddDays(5),
            });
            return db.SaveChangesAsync();
        });
        var (browser, _) = await Staff.SignedInAsync(App, await Staff.CreateAsync(App, StaffRole.Analyst));

        var first = await browser.GetStringAsync("/admin/privacy");
        Assert.Equal(Enumerable.Range(2, 25).Select(i => $"Outcome number {28 - i:00}."), Outcomes(first)); // newest first: 26 … 02
        Assert.DoesNotContain("Another program", first);
        Assert.Equal(["Outcome number 01.", "Outcome number 00."], Outcomes(await browser.GetStringAsync("/admin/privacy?page=2")));
        var erasures = await browser.GetStringAsync("/admin/privacy?kind=AffiliateErasure");
        Assert.Equal(["Outcome number 02.", "Outcome number 01.", "Outcome number 00."], Outcomes(erasures));
        Assert.Contains("Affiliate erasure", erasures);

        var csv = await browser.GetAsync("/admin/privacy?handler=csv&kind=ShopRedact");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,kind,shop,reference,receivedAt,completedAt,outcome", lines[0]);
        Assert.Equal(8, lines.Length - 1); // 3..26 step 3 are shop redactions: 5, 8, … 26
        Assert.All(lines.Skip(1), l => Assert.Contains(",ShopRedact,knits.myshopify.com,", l));

        // Read-only: the page has no form that posts.
        Assert.DoesNotContain("method=\"post\"", first.Split("<main", 2)[1].Split("</main>")[0]);
    }

    private static List<string> Outcomes(string html) =>
        OutcomePattern().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"<td data-label=""What was done"">([^<]*)</td>")]
    private static partial Regex OutcomePattern();
}

public sealed class PrivacyPageOnSqlite(SqliteApp fixture) : PrivacyPageTests(fixture), IClassFixture<SqliteApp>;

public sealed class PrivacyPageOnPostgres(PostgresApp fixture) : PrivacyPageTests(fixture), IClassFixture<PostgresApp>;
