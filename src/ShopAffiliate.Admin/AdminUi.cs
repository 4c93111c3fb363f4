using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using ShopAffiliate.Admin.Localization;
using ShopAffiliate.Admin.Ui;

namespace ShopAffiliate.Admin;

/// <summary>What the host calls to serve the admin and the portal: Razor Pages, two languages, the shared widgets.</summary>
public static class AdminUi
{
    public static IServiceCollection AddAdminUi(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddRazorPages(o =>
            {
                // Staff only under /admin, except the pages that sign in or set up; every POST there passes the role check.
                o.Conventions.AuthorizeFolder("/Admin");
                foreach (var page in new[] { "/Admin/Index", "/Admin/Login", "/Admin/Setup", "/Admin/Logout", "/Admin/Invitation" }) o.Conventions.AllowAnonymousToPage(page);
                o.Conventions.AddFolderApplicationModelConvention("/Admin", m => m.Filters.Add(new StaffRoleFilter()));
            })
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedText)));
        // Inside the Shopify admin's iframe no cookie arrives: the status message after a form rides on the redirect.
        services.TryAddSingleton<Microsoft.AspNetCore.Mvc.ViewFeatures.CookieTempDataProvider>();
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataProvider, FrameTempDataProvider>());
        services.AddSingleton<IConfigureOptions<MvcOptions>, LocalizedBindingMessages>();
        services.AddScoped<UiContext>();
        services.AddScoped<ShopAffiliate.Core.Workspaces.ProgramOverview>();
        services.AddScoped<ShopAffiliate.Core.Shops.ShopHealthService>();
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(UiCultures.English).AddSupportedCultures(UiCultures.Supported).AddSupportedUICultures(UiCultures.Supported);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // The person's own choice, then their program's default, then what their browser asks for.
            o.RequestCultureProviders =
            [
                // Inside the Shopify admin no cookie arrives: the frame's links carry the choice as ?lang= (EmbeddedFrame).
                new CustomRequestCultureProvider(http => Task.FromResult(
                    http.Request.Query["embedded"] == "1" && UiCultures.Normalize(http.Request.Query["lang"]) is { } lang
                        ? new ProviderCultureResult(lang) : null)),
                new CookieRequestCultureProvider { CookieName = UiCultures.CookieName },
                new ProgramCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>
    /// After authentication (the program's default needs the signed-in user) and routing (the slug). Only the UI's own
    /// paths get a request culture: the JSON API, CSV downloads and webhooks keep the invariant one whatever the
    /// caller's <c>Accept-Language</c>.
    /// </summary>
    public static IApplicationBuilder UseAdminUi(this IApplicationBuilder app) =>
        app.UseWhen(http => IsUiPath(http.Request.Path), ui => ui.UseRequestLocalization());

    public static bool IsUiPath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/admin") || path.StartsWithSegments("/portal") || path.StartsWithSegments("/p")
        || path.StartsWithSegments(CulturePath);

    /// <summary>Where the language switcher posts.</summary>
    public const string CulturePath = "/ui/culture";

    /// <summary>Model binding's own messages ("The value 'x' is not valid") in the request's language.</summary>
    private sealed class LocalizedBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
    {
        public void Configure(MvcOptions options)
        {
            var text = factory.Create(typeof(SharedText));
            var m = options.ModelBindingMessageProvider;
            m.SetValueMustNotBeNullAccessor(name => text["Enter {0}.", name]);
            m.SetMissingBindRequiredValueAccessor(name => text["Enter {0}.", name]);
            m.SetAttemptedValueIsInvalidAccessor((value, name) => text["'{0}' is not a valid value for {1}.", value, name]);
            m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => text["'{0}' is not a valid value.", value]);
            m.SetValueIsInvalidAccessor(value => text["'{0}' is not a valid value.", value]);
            m.SetUnknownValueIsInvalidAccessor(name => text["The value for {0} is not valid.", name]);
            m.SetNonPropertyUnknownValueIsInvalidAccessor(() => text["The value is not valid."]);
            m.SetValueMustBeANumberAccessor(name => text["{0} must be a number.", name]);
            m.SetNonPropertyValueMustBeANumberAccessor(() => text["Enter a number."]);
        }
    }
}
