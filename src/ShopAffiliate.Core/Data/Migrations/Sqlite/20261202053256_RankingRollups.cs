using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RankingRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written (ADR 0041, 2026-12-02): the ranking's blocks, their triggers and the first fill from the days.
            var table = Reports.RankingRollupSql.Affiliates;
            migrationBuilder.Sql(Reports.RankingRollupSql.SqliteCreateTable);
            foreach (var sql in table.CreateTriggers(postgres: false)) migrationBuilder.Sql(sql);
            foreach (var sql in table.Refill(postgres: false)) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Reports.RankingRollupSql.Affiliates.DropTriggers(postgres: false)) migrationBuilder.Sql(sql);
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"RankingRollups\";");
        }
    }
}
