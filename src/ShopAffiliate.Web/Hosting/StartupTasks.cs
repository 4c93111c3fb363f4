using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Workspaces;

namespace ShopAffiliate.Web.Hosting;

/// <summary>
/// Migrates the database and applies the headless bootstrap, one node at a time (<see cref="StartupLock"/>). Runs in <see cref="IHostedLifecycleService.StartingAsync"/>,
/// which completes before any hosted service (the web server included) starts, so no request sees an old schema.
/// </summary>
internal sealed partial class StartupTasks(IServiceProvider services, IOptions<BootstrapOptions> bootstrap, ILogger<StartupTasks> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        // Nodes sharing one PostgreSQL take turns: the first migrates and bootstraps, the others then find it done.
        await using (await StartupLock.AcquireAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), cancellationToken))
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            // Before anything reads the key ring: a wrong key-encryption key stops here, with a message (ADR 0027).
            // Inside the lock, so two nodes never re-encrypt the ring at once.
            var encrypted = await ShopAffiliate.Core.Security.KeyRingEncryption.CheckAndReencryptAsync(
                scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Security.KeyEncryptionKeys>(), cancellationToken);
            if (encrypted > 0) LogKeysEncrypted(encrypted);
            await BootstrapAsync(scope.ServiceProvider, cancellationToken);
        }
        // Warm the redirect's link table before the server takes its first request.
        await scope.ServiceProvider.GetRequiredService<ShopAffiliate.Core.Tracking.LinkCache>().RefreshAsync(cancellationToken);
    }

    private async Task BootstrapAsync(IServiceProvider sp, CancellationToken cancellationToken)
    {
        var o = bootstrap.Value;
        var db = sp.GetRequiredService<AppDbContext>();
        if (await db.Workspaces.AnyAsync(cancellationToken))
        {
            if (o.IsRequested) LogBootstrapSkipped();
            return;
        }
        if (!o.IsRequested)
        {
            LogAwaitingSetup();
            return;
        }

        ProvisionedWorkspace created;
        try
        {
            created = await sp.GetRequiredService<WorkspaceProvisioner>().CreateAsync(
                o.WorkspaceName!, o.Currency, o.OwnerEmail, o.OwnerPassword, o.ApiKey, cancellationToken: cancellationToken);
        }
        catch (ShopAffiliate.Core.Errors.ValidationFailedException e)
        {
            // A bootstrap setting the rules refuse (a short password, a bad currency) is a configuration error.
            throw new OptionsValidationException(BootstrapOptions.Section, typeof(BootstrapOptions), ["Bootstrap: " + e.Message]);
        }
        LogBootstrapped(created.Workspace.Name, created.Workspace.Id, o.ApiKey is null);
        if (o.ApiKey is null)
        {
            // Shown once, like the set-up page does: the operator asked for a headless start without choosing a key.
            Console.WriteLine($"ShopAffiliate API key for '{created.Workspace.Name}' (shown once): {created.ApiKey}");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap created workspace {Workspace} ({WorkspaceId}); generated API key: {Generated}")]
    private partial void LogBootstrapped(string workspace, Guid workspaceId, bool generated);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} Data Protection key(s) with the current key-encryption key")]
    private partial void LogKeysEncrypted(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap settings ignored: the database already has a workspace")]
    private partial void LogBootstrapSkipped();

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty database: open /admin to set up the first program")]
    private partial void LogAwaitingSetup();
}
