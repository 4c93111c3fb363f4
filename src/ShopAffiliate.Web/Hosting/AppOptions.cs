using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ShopAffiliate.Web.Hosting;

/// <summary>Bound from <c>App</c>.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>The URL shops and browsers reach the app at; webhook and tracking URLs are built from it.</summary>
    [Required(ErrorMessage = "App:PublicBaseUrl is required, e.g. https://affiliates.example.com")]
    [Url(ErrorMessage = "App:PublicBaseUrl must be an absolute http(s) URL, e.g. https://affiliates.example.com")]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
}

/// <summary>Bound from <c>Bootstrap</c>: headless first start.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";
    public const int MinimumApiKeyLength = 32;

    public string? OwnerEmail { get; set; }
    public string? OwnerPassword { get; set; }
    public string? WorkspaceName { get; set; }
    public string? ApiKey { get; set; }
    public string Currency { get; set; } = "USD";

    public bool IsRequested =>
        !string.IsNullOrWhiteSpace(OwnerEmail) || !string.IsNullOrWhiteSpace(WorkspaceName) || !string.IsNullOrWhiteSpace(ApiKey);
}

internal sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions o)
    {
        if (!o.IsRequested) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.OwnerEmail) || !o.OwnerEmail.Contains('@'))
            failures.Add("Bootstrap:OwnerEmail must be an email address when any Bootstrap setting is given.");
        if (string.IsNullOrEmpty(o.OwnerPassword))
            failures.Add("Bootstrap:OwnerPassword is required when any Bootstrap setting is given.");
        if (string.IsNullOrWhiteSpace(o.WorkspaceName))
            failures.Add("Bootstrap:WorkspaceName is required when any Bootstrap setting is given.");
        if (o.ApiKey is { } key && key.Length < BootstrapOptions.MinimumApiKeyLength)
            failures.Add($"Bootstrap:ApiKey must be at least {BootstrapOptions.MinimumApiKeyLength} characters of random text (try `openssl rand -hex 32`).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class AppOptionsValidator : IValidateOptions<AppOptions>
{
    public ValidateOptionsResult Validate(string? name, AppOptions o) =>
        Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"App:PublicBaseUrl is '{o.PublicBaseUrl}'; it must be an absolute http(s) URL such as https://affiliates.example.com");
}
