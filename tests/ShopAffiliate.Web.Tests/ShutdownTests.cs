using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests;

/// <summary>The click queue on a real process stopped with SIGTERM while shoppers are clicking.</summary>
public sealed class ShutdownTests
{
    private const string Key = "sa_shutdown_test_key_0123456789abcdefghijkl";

    [Fact]
    public async Task NoClickIsLostWhenTheAppStopsGracefullyUnderLoad()
    {
        var dbFile = Path.Combine(Path.GetTempPath(), $"sa-shutdown-{Guid.NewGuid():N}.db");
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={dbFile}",
            ["Bootstrap__OwnerEmail"] = "owner@example.com",
            ["Bootstrap__OwnerPassword"] = "a-long-password",
            ["Bootstrap__WorkspaceName"] = "Shutdown",
            ["Bootstrap__ApiKey"] = Key,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        Assert.True(await app.WaitUntilHealthyAsync(), app.Output);
        var code = await CreateLinkAsync(app.BaseUrl);

        // Shoppers click from 32 connections; the app is told to stop while they do.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0");
        var redirected = 0;
        var attempted = 0;
        using var stop = new CancellationTokenSource();
        var clickIds = new ConcurrentBag<string>();
        var shoppers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref attempted);
                try
                {
                    var response = await http.GetAsync($"/r/{code}");
                    if (response.StatusCode == HttpStatusCode.Redirect)
                    {
                        Interlocked.Increment(ref redirected);
                        clickIds.Add(System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query)["sa_click"]!);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the server has stopped accepting connections
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();

        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref redirected)), n => n >= 2000, "2000 redirects before the stop", 60_000);
        app.Terminate();
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(shoppers);

        Assert.Equal(0, exitCode);
        await using var connection = new SqliteConnection($"Data Source={dbFile};Mode=ReadOnly");
        await connection.OpenAsync();
        var stored = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var command = new SqliteCommand("SELECT Id FROM Clicks", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) stored.Add(reader.GetGuid(0).ToString());
        }
        var lost = clickIds.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {clickIds.Count} redirected clicks were not stored (attempted {attempted}).");
        Assert.True(stored.Count <= attempted, $"More clicks stored ({stored.Count}) than requests made ({attempted}).");
        SqliteConnection.ClearAllPools();
        foreach (var f in (string[])[dbFile, dbFile + "-wal", dbFile + "-shm"]) File.Delete(f);
    }

    private static async Task<string> CreateLinkAsync(string baseUrl)
    {
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        (await api.PutAsJsonAsync("/api/v1/settings/program", new { allowedDestinationHosts = new[] { "shop.example.com" } })).EnsureSuccessStatusCode();
        var affiliate = await (await api.PostAsJsonAsync("/api/v1/affiliates", new { name = "Load Tester", email = "load@example.com", referralCode = "load" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = affiliate.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/v1/affiliates/{id}/approve", new { reason = "ok" })).EnsureSuccessStatusCode();
        var link = await (await api.PostAsJsonAsync("/api/v1/links", new { affiliateId = id, destination = "https://shop.example.com/p" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        return link.GetProperty("code").GetString()!;
    }
}
