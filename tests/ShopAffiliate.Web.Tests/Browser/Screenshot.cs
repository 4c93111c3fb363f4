using Microsoft.Playwright;

namespace ShopAffiliate.Web.Tests.Browser;

/// <summary>
/// Saves the page as it is when a browser test ends, passed or failed (dispose it with <c>await using</c>), under
/// <c>$SA_ARTIFACTS/screenshots</c>: scripts/test.sh points SA_ARTIFACTS at the repo's artifacts/ folder, which CI keeps,
/// so a failed run can be looked at afterwards.
/// </summary>
public sealed class Screenshot(IPage page, string name) : IAsyncDisposable
{
    public static string Folder => System.IO.Path.Combine(
        Environment.GetEnvironmentVariable("SA_ARTIFACTS") is { Length: > 0 } artifacts ? artifacts : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sa-artifacts"),
        "screenshots");

    public string File { get; } = System.IO.Path.Combine(Folder, name + ".png");

    public async Task SaveAsync()
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new() { Path = File, FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SaveAsync();
        }
        catch (PlaywrightException)
        {
            // The page or browser is already gone (the failure being reported may be that): nothing to save.
        }
    }
}
