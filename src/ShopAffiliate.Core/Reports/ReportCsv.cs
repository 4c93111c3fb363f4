using System.Globalization;
using System.Text;

namespace ShopAffiliate.Core.Reports;

/// <summary>
/// RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF (quotes doubled), UTF-8 with
/// a byte order mark so that Excel opens Danish letters right, numbers in the invariant culture (a dot, no grouping).
/// Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe: names
/// and emails come from affiliates (OWASP "CSV injection").
/// </summary>
public sealed class ReportCsv
{
    private readonly StringBuilder _text = new();

    public ReportCsv Row(params object?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) _text.Append(',');
            _text.Append(Field(fields[i]));
        }
        _text.Append("\r\n");
        return this;
    }

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())];

    public const string ContentType = "text/csv; charset=utf-8";

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Defused(value.ToString() ?? ""),
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string Defused(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;
}
