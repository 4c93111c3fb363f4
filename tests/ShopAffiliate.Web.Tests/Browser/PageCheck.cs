using System.Text.Json;
using Microsoft.Playwright;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Looks at a page as people will: at desktop (1280) and phone (375) width, in English and Danish. Each visit saves
/// <c>$SA_ARTIFACTS/screenshots/&lt;area&gt;/&lt;page&gt;-&lt;lang&gt;-&lt;width&gt;.png</c>, runs axe-core (the npm package the repo
/// installs with <c>npm ci</c>) and fails on a serious or critical violation, checks the page is in that language
/// (<c>&lt;html lang&gt;</c>), that nothing is wider than the phone's screen and that the browser refused nothing under the
/// Content-Security-Policy (each refusal is a console error). All visits run; the failures are reported together.
/// </summary>
public static class PageCheck
{
    public static readonly int[] Widths = [1280, 375];
    public static readonly string[] Languages = ["en", "da"];

    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(AxePath()));

    /// <summary>
    /// Visits <paramref name="url"/> in each language and width. <paramref name="check"/> runs on each visit too (e.g.
    /// "the heading says Overblik"), with the language. The language is chosen as a person would: the saved choice.
    /// </summary>
    public static async Task VisitAsync(IBrowserContext context, string url, string area, string page,
        Func<IPage, string, Task>? check = null)
    {
        var failures = new List<string>();
        var tab = await context.NewPageAsync();
        var refused = CspViolations(tab);
        try
        {
            foreach (var language in Languages)
            {
                await context.AddCookiesAsync([new Cookie { Name = "sa_culture", Value = $"c={language}|uic={language}", Url = Origin(url) }]);
                foreach (var width in Widths)
                {
                    await tab.SetViewportSizeAsync(width, 900);
                    var response = await tab.GotoAsync(url);
                    var where = $"{area}/{page} ({language}, {width} px)";
                    if (response is null || !response.Ok)
                    {
                        failures.Add($"{where}: answered {response?.Status}");
                        continue;
                    }
                    await SaveAsync(tab, area, $"{page}-{language}-{width}");
                    lock (refused)
                    {
                        failures.AddRange(refused.Select(v => $"{where}: {v}"));
                        refused.Clear();
                    }
                    var lang = await tab.EvaluateAsync<string>("() => document.documentElement.lang");
                    if (lang != language) failures.Add($"{where}: <html lang=\"{lang}\">, expected \"{language}\"");
                    var overflow = await tab.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                    if (overflow > 1) failures.Add($"{where}: {overflow} px wider than the window (scrolls sideways)");
                    failures.AddRange((await AxeAsync(tab)).Select(v => $"{where}: axe {v}"));
                    if (check is not null)
                    {
                        try
                        {
                            await check(tab, language);
                        }
                        catch (Exception e) when (e is Xunit.Sdk.XunitException or PlaywrightException or TimeoutException)
                        {
                            failures.Add($"{where}: {e.Message}");
                        }
                    }
                }
            }
        }
        finally
        {
            await context.ClearCookiesAsync(new() { Name = "sa_culture" });
            await tab.CloseAsync();
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// What the Content-Security-Policy blocked on <paramref name="page"/> from now on (a script without the nonce, a
    /// style from elsewhere): Chromium reports each as a console error, and a page check fails on any.
    /// </summary>
    public static List<string> CspViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (violations) violations.Add("CSP: " + message.Text);
        };
        return violations;
    }

    /// <summary>axe-core's serious and critical violations on the page as it is now, one line each.</summary>
    public static async Task<IReadOnlyList<string>> AxeAsync(IPage page)
    {
        // Evaluated, not added as a <script>: the Content-Security-Policy allows only our own script files.
        await page.EvaluateAsync(AxeSource.Value);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
            }
            """);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public static async Task SaveAsync(IPage page, string area, string name)
    {
        var folder = Path.Combine(Screenshot.Folder, area);
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);

    /// <summary>node_modules/axe-core/axe.min.js at the repo root (found from the test binaries upwards).</summary>
    private static string AxePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "package.json"))) continue;
            var axe = Path.Combine(dir.FullName, "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(axe)) return axe;
            throw new InvalidOperationException($"axe-core is not installed: run `npm ci` in {dir.FullName} (scripts/test.sh does).");
        }
        throw new InvalidOperationException("No package.json above " + AppContext.BaseDirectory + ": the browser tests need the repo's npm packages.");
    }
}
