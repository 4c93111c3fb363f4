using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShopAffiliate.Web.Hosting;

/// <summary>
/// Strings in API bodies carry no control characters but tab, line feed and carriage return. PostgreSQL refuses NUL
/// in text (a 500 after the work was done), and the others end up in CSV exports, e-mails and log lines where they
/// can forge content. Refused while reading, so the answer is a 400 naming the field, on every route at once.
/// </summary>
public sealed class PlainTextStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        foreach (var c in value ?? "")
        {
            if (c < ' ' && c is not '\t' and not '\n' and not '\r')
                throw new JsonException("A text value contains a control character (only tab, line feed and carriage return are allowed).");
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
