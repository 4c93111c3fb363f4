using ShopAffiliate.Core.Reports;

namespace ShopAffiliate.Web.Features.Reports;

public static class ReportCsvResults
{
    /// <summary>The file as an endpoint's answer.</summary>
    public static IResult ToResult(this ReportCsv csv, string fileName) => TypedResults.File(csv.ToBytes(), ReportCsv.ContentType, fileName);
}
