using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace ShopAffiliate.Platforms.WooCommerce;

/// <summary>
/// What WooCommerce POSTs to the key flow's callback URL once the merchant approves:
/// <c>{"key_id":1,"user_id":"123","consumer_key":"ck_..","consumer_secret":"cs_..","key_permissions":"read_write"}</c>.
/// Answer exactly 200 or WooCommerce deletes the key again.
/// </summary>
/// <param name="UserId">The <c>user_id</c> we put on the authorize URL, echoed (as a string or a number).</param>
public sealed record WooKeyCallback(long KeyId, string UserId, string ConsumerKey, string ConsumerSecret, string KeyPermissions)
{
    /// <summary>Keeps the secret out of logs (records print every property).</summary>
    public override string ToString() =>
        $"WooKeyCallback {{ KeyId = {KeyId}, UserId = {UserId}, ConsumerKey = {WooStore.Truncate(ConsumerKey)}, KeyPermissions = {KeyPermissions} }}";

    /// <summary>
    /// <c>user_id</c> may be a string or a number (<c>7</c> becomes <c>"7"</c>); <c>key_id</c> a number or a digit string;
    /// <c>consumer_key</c> must start with <c>ck_</c>, <c>consumer_secret</c> with <c>cs_</c>; <c>key_permissions</c> is
    /// read, write or read_write. The error names the field that is wrong, never its value.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, [NotNullWhen(true)] out WooKeyCallback? callback, [NotNullWhen(false)] out string? error)
    {
        callback = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            error = "The key callback body is not JSON.";
            return false;
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                error = "The key callback body is not a JSON object.";
                return false;
            }

            if (ReadKeyId(body) is not { } keyId)
                error = "key_id is missing or not a positive whole number.";
            else if (ReadUserId(body) is not { } userId)
                error = "user_id is missing or not a string or whole number.";
            else if (Text(body, "consumer_key") is not { } key || !key.StartsWith("ck_", StringComparison.Ordinal) || key.Length <= 3)
                error = "consumer_key is missing or does not start with ck_.";
            else if (Text(body, "consumer_secret") is not { } secret || !secret.StartsWith("cs_", StringComparison.Ordinal) || secret.Length <= 3)
                error = "consumer_secret is missing or does not start with cs_.";
            else if (Text(body, "key_permissions") is not ({ } permissions and ("read" or "write" or "read_write")))
                error = "key_permissions is missing or not read, write or read_write.";
            else
            {
                callback = new(keyId, userId, key, secret, permissions);
                error = null;
                return true;
            }

            return false;
        }
    }

    private static long? ReadKeyId(JsonElement body) =>
        !body.TryGetProperty("key_id", out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0 ? number
        : value.ValueKind == JsonValueKind.String
          && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
        : null;

    private static string? ReadUserId(JsonElement body) =>
        !body.TryGetProperty("user_id", out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number.ToString(CultureInfo.InvariantCulture)
        : value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString()!.Trim()
        : null;

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
