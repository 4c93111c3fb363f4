using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RankingRollupsCoveringKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written (ADR 0041, third amendment): the ranking reads its blocks by index-only scans.
            foreach (var sql in Reports.RankingRollupSql.PostgresCoveringKey) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Reports.RankingRollupSql.PostgresPlainKey);
        }
    }
}
