using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
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
            foreach (var sql in table.DropTriggers(postgres: true)) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(Reports.RankingRollupSql.DropTables);
            migrationBuilder.Sql(Reports.RankingRollupSql.PostgresCreateTable);
            foreach (var sql in Reports.RankingRollupSql.PostgresCoveringKey) migrationBuilder.Sql(sql);
            foreach (var sql in table.CreateTriggers(postgres: true)) migrationBuilder.Sql(sql);
            foreach (var sql in table.Refill(postgres: true)) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The table as the migrations before this one left it, empty and without triggers: the start-up check of
            // that build finds its triggers missing, creates them and fills the table from the days.
            foreach (var sql in Reports.RankingRollupSql.Affiliates.DropTriggers(postgres: true)) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(Reports.RankingRollupSql.DropTables);
            migrationBuilder.Sql("""
                CREATE TABLE "RankingRollups" ("WorkspaceId" uuid NOT NULL, "Span" integer NOT NULL, "Start" date NOT NULL, "Currency" character varying(3) NOT NULL, "AffiliateId" uuid NOT NULL, "ShopId" uuid NOT NULL, "Clicks" bigint NOT NULL, "UniqueClicks" bigint NOT NULL, "Impressions" bigint NOT NULL, "Orders" bigint NOT NULL, "RevenueMinor" bigint NOT NULL, "RefundsMinor" bigint NOT NULL, "CommissionMinor" bigint NOT NULL, "SecondTierMinor" bigint NOT NULL, "EarnedMinor" bigint NOT NULL, "ReversedMinor" bigint NOT NULL, CONSTRAINT "PK_RankingRollups" PRIMARY KEY ("WorkspaceId", "Span", "Start", "Currency", "AffiliateId", "ShopId") INCLUDE ("Clicks", "UniqueClicks", "Impressions", "Orders", "RevenueMinor", "RefundsMinor", "CommissionMinor"));
                """);
        }
    }
}
