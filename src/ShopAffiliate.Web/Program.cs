using ShopAffiliate.Core.Webhooks;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using ShopAffiliate.Admin;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Identity;
using ShopAffiliate.Core.Workspaces;
using ShopAffiliate.Web.Auth;
using ShopAffiliate.Core.Inbox;
using ShopAffiliate.Core.Outbox;
using ShopAffiliate.Core.Email;
using ShopAffiliate.Core.Orders;
using ShopAffiliate.Core.Privacy;
using ShopAffiliate.Core.Shops;
using ShopAffiliate.Core.Payouts;
using ShopAffiliate.Core.Reports;
using ShopAffiliate.Core.Tracking;
using ShopAffiliate.Web.Features.Commissions;
using ShopAffiliate.Core.Creatives;
using ShopAffiliate.Web.Features.Coupons;
using ShopAffiliate.Web.Features.Creatives;
using ShopAffiliate.Web.Features.Disputes;
using ShopAffiliate.Web.Features.Email;
using ShopAffiliate.Web.Features.Communication;
using ShopAffiliate.Web.Features.Groups;
using ShopAffiliate.Web.Features.Orders;
using ShopAffiliate.Web.Features.Payouts;
using ShopAffiliate.Web.Features.Reports;
using ShopAffiliate.Web.Features.Portal;
using ShopAffiliate.Web.Features.Affiliates;
using ShopAffiliate.Web.Features.Links;
using ShopAffiliate.Web.Features.Settings;
using ShopAffiliate.Web.Features.Shopify;
using ShopAffiliate.Platforms.Shopify;
using ShopAffiliate.Platforms.WooCommerce;
using ShopAffiliate.Web.Features.WooCommerce;
using ShopAffiliate.Web.Features.Tracking;
using ShopAffiliate.Web.Hosting;

// `backup <file>` and `restore <file>` run instead of the web host (README, Operations).
if (await BackupCommand.TryRunAsync(args) is { } exitCode) return exitCode;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The root appsettings.json and wwwroot/ are copied next to the binaries; run from anywhere.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidator>();
builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();

builder.Services.AddLogRedaction(); // secrets in logged URLs (request and HttpClient logs) are replaced
builder.Services.AddShopAffiliateData(builder.Configuration);
builder.Services.AddScoped<WorkspaceProvisioner>();
builder.Services.AddHostedService<StartupTasks>();

// Enough time on SIGTERM for the click writer to store a full queue (see ClickWriter.StopAsync).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(90));
builder.Services.AddOptions<TrackingOptions>().BindConfiguration(TrackingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<LinkCache>();
builder.Services.AddSingleton(sp => new ClickChannel(sp.GetRequiredService<IOptions<TrackingOptions>>().Value.ClickQueueCapacity));
builder.Services.AddSingleton<ClickWriter>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ClickWriter>());
builder.Services.AddHostedService<LinkCacheRefresher>();
builder.Services.AddScoped<OrderProcessor>();
builder.Services.AddScoped<ShopAffiliate.Core.Commissions.CommissionReview>();
builder.Services.AddScoped<ShopAffiliate.Core.Commissions.ManualLedger>();
builder.Services.AddScoped<ShopAffiliate.Core.Commissions.CommissionGroupService>();
builder.Services.AddScoped<ShopAffiliate.Core.Workspaces.StaffService>();
builder.Services.AddScoped<PayoutService>();
builder.Services.AddScoped<AffiliatePayouts>();
builder.Services.AddScoped<ShopAffiliate.Core.Affiliates.Recruits>();
builder.Services.AddScoped<ShopAffiliate.Core.Disputes.DisputeService>();
builder.Services.AddScoped<ShopAffiliate.Core.Messages.MessageService>();
builder.Services.AddScoped<ShopAffiliate.Core.Simulation.PlanSimulator>();
builder.Services.AddScoped<ShopAffiliate.Core.Statements.StatementService>();
builder.Services.AddHostedService<CommissionApprover>();
builder.Services.AddScoped<PrivacyService>();
builder.Services.AddScoped<AffiliatePrivacy>();
builder.Services.AddScoped<ShopSecrets>();
builder.Services.AddSingleton<InboxSignal>();
builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<InboxIntake>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxIntake>());
builder.Services.AddSingleton<InboxRetention>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxRetention>());
builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<PrivacyRetention>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PrivacyRetention>());
builder.Services.AddHostedService<InboxWorker>();
builder.Services.AddReports();
builder.Services.AddCreatives();
builder.Services.AddOutbox().AddEmail();
builder.Services.AddWebhooks(); // signed deliveries: events, endpoints, the commission emitter (ADR 0038)

builder.Services.AddOptions<ShopifyOptions>().BindConfiguration(ShopifyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOutboundGuard(); // every HttpClient, before the platforms' clients exist
builder.Services.AddShopifyClients();
builder.Services.AddSingleton<ShopAffiliate.Core.Webhooks.IWebhookUrlPolicy, ShopAffiliate.Web.Features.Webhooks.WebhookUrlPolicy>();
builder.Services.AddScoped<ShopAffiliate.Core.Outbox.IOutboxHandler, ShopAffiliate.Web.Features.Webhooks.WebhookDeliveryHandler>();
// Redirects are not followed: a receiver answers where it is registered (the guard would check each hop anyway).
builder.Services.AddHttpClient(ShopAffiliate.Web.Features.Webhooks.WebhookDeliveryHandler.ClientName)
    .ConfigurePrimaryHttpMessageHandler((handler, _) => ((SocketsHttpHandler)handler).AllowAutoRedirect = false);
builder.Services.AddScoped<ShopifyInstaller>();
builder.Services.AddScoped<ShopifyTokens>();
builder.Services.AddScoped<IInboxHandler, ShopifyInboxHandler>();
builder.Services.AddOptions<WooCommerceOptions>().BindConfiguration(WooCommerceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddWooCommerceClients();
builder.Services.AddScoped<WooConnector>();
builder.Services.AddScoped<WooReconciler>();
builder.Services.AddScoped<WooRefundReader>();
builder.Services.AddHostedService<WooReconcileLoop>();
builder.Services.AddScoped<IInboxHandler, WooInboxHandler>();
builder.Services.Configure<SecurityStampValidatorOptions>(WooLaunchEndpoint.KeepLaunchScopeOnRefresh);
builder.Services.AddMemoryCache();
builder.Services.AddScoped<CouponPusher>();
builder.Services.AddScoped<ShopAffiliate.Core.Coupons.ICouponShops>(sp => sp.GetRequiredService<CouponPusher>());
builder.Services.AddScoped<ShopAffiliate.Core.Shops.IShopConnections, ShopAffiliate.Web.Features.Shops.ShopConnections>();
builder.Services.AddScoped<ShopAffiliate.Core.Coupons.CouponService>();
builder.Services.AddScoped<ShopAffiliate.Core.Communication.SegmentService>();
builder.Services.AddScoped<ShopAffiliate.Core.Communication.AnnouncementService>();
builder.Services.AddScoped<ShopAffiliate.Core.Communication.NotificationPreferenceService>();
builder.Services.AddScoped<ShopAffiliate.Core.Campaigns.CampaignService>();
builder.Services.AddScoped<ShopAffiliate.Core.Communication.CommissionEarnedMails>();
builder.Services.AddOptions<ShopAffiliate.Core.Communication.CommissionEarnedMailOptions>()
    .Configure<IConfiguration>((o, c) => o.SettleSeconds = Math.Clamp(c.GetValue("Mail:CommissionEarnedSettleSeconds", o.SettleSeconds), 0, 3600));
builder.Services.AddScoped<ShopAffiliate.Core.Communication.ProgramChangeMails>();
builder.Services.AddHostedService<ShopAffiliate.Web.Features.Communication.CommissionEarnedMailer>();
builder.Services.AddScoped<ShopAffiliate.Core.Communication.MonthlyStatementMails>();
builder.Services.AddHostedService<ShopAffiliate.Web.Features.Communication.MonthlyStatementMailer>();

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
    ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
// Malformed JSON and bad route values throw, so the exception handler can say what was wrong.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.Converters.Add(new PlainTextStringConverter());
});

builder.Services.AddIdentityCore<AppUser>(o =>
    {
        o.User.RequireUniqueEmail = true;
        o.Password.RequiredLength = 10;
        // Length over composition rules (NIST SP 800-63B).
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequireDigit = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireLowercase = false;
        o.Lockout.MaxFailedAccessAttempts = 10;
    })
    .AddEntityFrameworkStores<AppDbContext>()
    .AddSignInManager()
    .AddDefaultTokenProviders();
// Staff: the cookie, or inside the Shopify admin its session token (ShopifyEmbeddedAdmin, ADR 0032).
builder.Services.AddAuthentication(ShopifyEmbeddedAdmin.StaffScheme)
    .AddStaffSchemes()
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthConstants.ApiKeyScheme, null)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ShopifySessionAuthenticationHandler>(ShopifySessionAuthenticationHandler.SchemeName, null)
    // /api/v1 takes a workspace API key or, from the embedded Shopify admin, a session token (a JWT): one scheme answers.
    .AddPolicyScheme(AuthConstants.ApiBearerScheme, "API key or Shopify session token", o => o.ForwardDefaultSelector = http =>
        AuthConstants.LooksLikeJwt(http.Request.Headers.Authorization) ? ShopifySessionAuthenticationHandler.SchemeName : AuthConstants.ApiKeyScheme)
    .AddIdentityCookies();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/admin/login";
    o.LogoutPath = "/admin/logout";
    o.Cookie.Name = "sa_staff";
    o.Cookie.SameSite = SameSiteMode.Lax;
    o.Cookie.HttpOnly = true;
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the request is https (behind a trusted proxy too)
});
// The cookie's security stamp is checked on every request, so signing out, a password change or a lowered staff role
// ends every other session of that user at once (ADR 0013).
builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
builder.Services.AddRateLimits();
builder.Services.AddSecurityHeaders(); // CSP with nonces, nosniff, referrer policy, HSTS; the antiforgery cookie
builder.Services.AddTrustedProxies();
builder.AddPortal();
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(AuthConstants.ApiPolicy, p => p
        .AddAuthenticationSchemes(AuthConstants.ApiBearerScheme)
        .RequireClaim(AuthConstants.WorkspaceClaim));

builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
builder.AddObservability(); // our meter, the backlog sampler, /health/ready's inbox check; OTLP when configured
builder.Services.AddOpenApi();
builder.Services.AddAdminUi(); // Razor Pages of the admin and the portal, in English and Danish
builder.Services.AddEmbeddedAdmin(); // form posts with a Shopify session token need no antiforgery cookie
builder.Services.AddRouting(o => o.LowercaseUrls = true);
// Serve the Razor Class Library's assets (_content/ShopAffiliate.Admin/) in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();

var app = builder.Build();

// Settings are checked before anything starts, so a wrong key stops start-up with a message, not a stack trace.
if (StartupErrors.ConfigurationFailures(app.Services) is { Count: > 0 } failures && !app.Environment.IsEnvironment("Testing"))
{
    await StartupErrors.ReportAsync(failures);
    return 2;
}

// First: the client address and scheme everything below sees (rate limits, click IP hashes, secure cookies).
app.UseTrustedProxies();
app.UseExceptionHandler();
// The tracking redirect (/r/...) answers here, ahead of routing, static files and authentication it never needs.
app.UseMiddleware<RedirectMiddleware>();
app.UseMiddleware<PixelMiddleware>(); // the impression pixel (/i/...), likewise
app.UseSecurityHeaders();
app.UseRouting();
app.UseStatusCodePages();
app.UseBodySizeLimits();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAdminUi(); // the request culture: after authentication, since a program's default language needs the user
app.UseAuthorization();
// After authorization, so the API's limit can count per workspace (its bearer scheme runs in authorization).
app.UseRateLimiter();
app.UseMiddleware<TenantMiddleware>();

app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    Predicate = c => !c.Tags.Contains(InboxLagCheck.Tag),
    ResponseWriter = HealthResponse.WriteAsync,
}).AllowAnonymous().DisableRateLimiting(); // load balancers poll it; it reads one row
app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    ResponseWriter = HealthResponse.WriteAsync,
}).AllowAnonymous().DisableRateLimiting(); // the database and the inbox's lag: a few indexed queries, polled by the orchestrator
app.MapOpenApi().DisableRateLimiting(); // a static document
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference();
}

var api = app.MapGroup("/api/v1").RequireAuthorization(AuthConstants.ApiPolicy).WithBodyLimit(256 * 1024).RequireRateLimiting(RateLimits.Api);
api.MapAffiliates();
api.MapLinks();
api.MapProgramSettings();
api.MapGroups();
api.MapOrders();
api.MapCommissions();
api.MapDisputes();
ShopAffiliate.Web.Features.Webhooks.WebhookEndpointApi.MapWebhookEndpoints(api);
api.MapPayouts();
api.MapCoupons();
api.MapReports();
api.MapCreatives(app.Services.GetRequiredService<IOptions<CreativeOptions>>().Value);
api.MapEmailTemplates();
api.MapAnnouncements();
ShopAffiliate.Web.Features.Campaigns.CampaignEndpoints.MapCampaigns(api);
app.MapUnsubscribe();
ShopAffiliate.Web.Features.Simulations.SimulationEndpoints.MapSimulations(api);
ShopAffiliate.Web.Features.Statements.StatementEndpoints.MapStatements(api);
app.MapTracking();
app.MapCreativeMedia();
app.MapShopify();
app.MapWooCommerce();

app.MapRazorPages();

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.FailuresOf(ex) is { Count: > 0 } startFailures && !app.Environment.IsEnvironment("Testing"))
{
    // Settings that only fail when used (a bootstrap password the rules refuse). Under the test host the
    // exception must reach WebApplicationFactory instead.
    await StartupErrors.ReportAsync(startFailures);
    return 2;
}

/// <summary>Visible to <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
