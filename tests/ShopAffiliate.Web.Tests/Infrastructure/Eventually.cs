namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// Waits for work that happens in the background (the click writer, the approval job). The timeout only bounds a
/// failing wait: it is generous because CI machines run the whole suite on two loaded cores.
/// </summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        T value;
        do
        {
            value = await read();
            if (condition(value)) return value;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last value: {value}");
    }
}
