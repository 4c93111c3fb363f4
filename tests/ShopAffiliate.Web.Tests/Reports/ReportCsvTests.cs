using System.Text;
using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Web.Tests.Reports;

/// <summary>The CSV writer shared by the report API and the admin's exports.</summary>
public sealed class ReportCsvTests
{
    private static string Text(ReportCsv csv) => Encoding.UTF8.GetString(csv.ToBytes()).TrimStart('\uFEFF');

    [Fact]
    public void TextThatASpreadsheetWouldRunAsAFormulaGetsALeadingApostrophe()
    {
        var csv = new ReportCsv().Row("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain");

        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),plain\r\n", Text(csv));
    }

    [Fact]
    public void NegativeNumbersStayNumbersInTheInvariantCulture()
    {
        var csv = new ReportCsv().Row(-12.5m, 1234567L, "a,b");

        Assert.Equal("-12.5,1234567,\"a,b\"\r\n", Text(csv));
    }
}
