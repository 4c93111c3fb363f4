using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RankingRollupsByNumber : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written (ADR 0041, fourth amendment): the ranking table keyed by numbers instead of GUIDs, the
            // affiliate before the currency; re-created and filled again from the days.
            var table = Reports.RankingRollupSql.Affiliates;
            foreach (var sql in table.DropTriggers(postgres: false)) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(Reports.RankingRollupSql.DropTables);
            migrationBuilder.Sql(Reports.RankingRollupSql.SqliteCreateTable);
            foreach (var sql in table.CreateTriggers(postgres: false)) migrationBuilder.Sql(sql);
            foreach (var sql in table.Refill(postgres: false)) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The table as the migrations before this one left it, empty and without triggers: the start-up check of
            // that build finds its triggers missing, creates them and fills the table from the days.
            foreach (var sql in Reports.RankingRollupSql.Affiliates.DropTriggers(postgres: false)) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(Reports.RankingRollupSql.DropTables);
            migrationBuilder.Sql("""
                CREATE TABLE "RankingRollups" ("WorkspaceId" TEXT NOT NULL, "Span" INTEGER NOT NULL, "Start" TEXT NOT NULL, "Currency" TEXT NOT NULL, "AffiliateId" TEXT NOT NULL, "ShopId" TEXT NOT NULL, "Clicks" INTEGER NOT NULL, "UniqueClicks" INTEGER NOT NULL, "Impressions" INTEGER NOT NULL, "Orders" INTEGER NOT NULL, "RevenueMinor" INTEGER NOT NULL, "RefundsMinor" INTEGER NOT NULL, "CommissionMinor" INTEGER NOT NULL, "SecondTierMinor" INTEGER NOT NULL, "EarnedMinor" INTEGER NOT NULL, "ReversedMinor" INTEGER NOT NULL, CONSTRAINT "PK_RankingRollups" PRIMARY KEY ("WorkspaceId", "Span", "Start", "Currency", "AffiliateId", "ShopId")) WITHOUT ROWID;
                """);
        }
    }
}
