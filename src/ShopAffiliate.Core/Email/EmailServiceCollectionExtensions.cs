using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Outbox;

namespace ShopAffiliate.Core.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>Email through the outbox: MailKit SMTP when <c>Smtp:Host</c> is set, else .eml files.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupFolderTransport>(sp));
        services.AddScoped<IOutboxHandler, EmailOutboxHandler>();
        services.AddOptions<MailLinkOptions>().BindConfiguration("App");
        services.AddSingleton<UnsubscribeTokens>();
        services.AddScoped<Mailer>();
        return services;
    }
}
