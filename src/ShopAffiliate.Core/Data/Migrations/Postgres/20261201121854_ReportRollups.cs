using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyRollups",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    LinkId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ShopId = table.Column<Guid>(type: "uuid", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Clicks = table.Column<long>(type: "bigint", nullable: false),
                    UniqueClicks = table.Column<long>(type: "bigint", nullable: false),
                    Impressions = table.Column<long>(type: "bigint", nullable: false),
                    Orders = table.Column<long>(type: "bigint", nullable: false),
                    RevenueMinor = table.Column<long>(type: "bigint", nullable: false),
                    RefundsMinor = table.Column<long>(type: "bigint", nullable: false),
                    CommissionMinor = table.Column<long>(type: "bigint", nullable: false),
                    SecondTierMinor = table.Column<long>(type: "bigint", nullable: false),
                    EarnedMinor = table.Column<long>(type: "bigint", nullable: false),
                    ReversedMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyRollups", x => new { x.WorkspaceId, x.Day, x.AffiliateId, x.LinkId, x.SubId, x.ShopId, x.Currency });
                });

            migrationBuilder.CreateTable(
                name: "OrderContributions",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ShopId = table.Column<Guid>(type: "uuid", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Orders = table.Column<long>(type: "bigint", nullable: false),
                    RevenueMinor = table.Column<long>(type: "bigint", nullable: false),
                    RefundsMinor = table.Column<long>(type: "bigint", nullable: false),
                    CommissionMinor = table.Column<long>(type: "bigint", nullable: false),
                    SecondTierMinor = table.Column<long>(type: "bigint", nullable: false),
                    EarnedMinor = table.Column<long>(type: "bigint", nullable: false),
                    ReversedMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderContributions", x => new { x.OrderId, x.AffiliateId });
                });

            migrationBuilder.CreateTable(
                name: "ReportGoals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Target = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportGoals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RollupWatermarks",
                columns: table => new
                {
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    LastKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RollupWatermarks", x => x.Source);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_OrderId",
                table: "Ledger",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_DailyRollups_WorkspaceId_AffiliateId_Day",
                table: "DailyRollups",
                columns: new[] { "WorkspaceId", "AffiliateId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderContributions_WorkspaceId_Day",
                table: "OrderContributions",
                columns: new[] { "WorkspaceId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_ReportGoals_WorkspaceId_Month_Metric_Currency",
                table: "ReportGoals",
                columns: new[] { "WorkspaceId", "Month", "Metric", "Currency" },
                unique: true);

            // The rollup worker reads clicks and ledger entries by the transaction that inserted them (ADR 0019):
            // PostgreSQL commits concurrent transactions in any order, so an id watermark could pass a row that
            // commits later. Not in the EF model: only the worker's SQL reads it, and inserts fill it by default.
            migrationBuilder.Sql("""
                ALTER TABLE "Clicks" ADD COLUMN "RollupTx" bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
                CREATE INDEX "IX_Clicks_RollupTx_Id" ON "Clicks" ("RollupTx", "Id");
                ALTER TABLE "Ledger" ADD COLUMN "RollupTx" bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
                CREATE INDEX "IX_Ledger_RollupTx_Id" ON "Ledger" ("RollupTx", "Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "Clicks" DROP COLUMN "RollupTx";
                ALTER TABLE "Ledger" DROP COLUMN "RollupTx";
                """);

            migrationBuilder.DropTable(
                name: "DailyRollups");

            migrationBuilder.DropTable(
                name: "OrderContributions");

            migrationBuilder.DropTable(
                name: "ReportGoals");

            migrationBuilder.DropTable(
                name: "RollupWatermarks");

            migrationBuilder.DropIndex(
                name: "IX_Ledger_OrderId",
                table: "Ledger");
        }
    }
}
