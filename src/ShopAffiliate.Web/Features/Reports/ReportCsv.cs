using System.Globalization;
using System.Text;

namespace ShopAffiliate.Web.Features.Reports;

/// <summary>
/// RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF (quotes doubled), UTF-8 with
/// a byte order mark so that Excel opens Danish letters right, numbers in the invariant culture (a dot, no grouping).
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

    public IResult ToResult(string fileName) =>
        TypedResults.File(ToBytes(), "text/csv; charset=utf-8", fileName);

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
