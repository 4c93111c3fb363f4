using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ShopAffiliate.Admin.Ui;

/// <summary>How an outcome is shown: the alert's colour and whether screen readers are interrupted.</summary>
public enum StatusKind { Success, Info, Warning, Critical }

/// <summary>
/// The outcome of a form, carried across post-redirect-get in TempData and shown once by the layout. The text is
/// localized by the handler (the same person's culture); the style comes from <see cref="Kind"/>, never the text.
/// </summary>
public sealed record StatusMessage(StatusKind Kind, string Text)
{
    private const string Key = "sa_status";

    public string CssClass => Kind.ToString().ToLowerInvariant();

    /// <summary><c>alert</c> for problems (announced at once), <c>status</c> for the rest.</summary>
    public string Role => Kind is StatusKind.Warning or StatusKind.Critical ? "alert" : "status";

    public static void Set(ITempDataDictionary tempData, StatusKind kind, string text) =>
        tempData[Key] = JsonSerializer.Serialize(new StatusMessage(kind, text));

    /// <summary>The message waiting for this request (and marks it read), or null.</summary>
    public static StatusMessage? Take(ITempDataDictionary tempData)
    {
        if (tempData[Key] is not string json) return null;
        try
        {
            return JsonSerializer.Deserialize<StatusMessage>(json);
        }
        catch (JsonException)
        {
            return null; // a cookie from an older build: drop it rather than fail the page
        }
    }
}

public static class StatusMessageExtensions
{
    public static void SetStatus(this ITempDataDictionary tempData, StatusKind kind, string text) => StatusMessage.Set(tempData, kind, text);
}
