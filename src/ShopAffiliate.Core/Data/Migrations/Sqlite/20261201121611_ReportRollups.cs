using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
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
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LinkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ShopId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Clicks = table.Column<long>(type: "INTEGER", nullable: false),
                    UniqueClicks = table.Column<long>(type: "INTEGER", nullable: false),
                    Impressions = table.Column<long>(type: "INTEGER", nullable: false),
                    Orders = table.Column<long>(type: "INTEGER", nullable: false),
                    RevenueMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundsMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    CommissionMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    SecondTierMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    EarnedMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    ReversedMinor = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyRollups", x => new { x.WorkspaceId, x.Day, x.AffiliateId, x.LinkId, x.SubId, x.ShopId, x.Currency });
                });

            migrationBuilder.CreateTable(
                name: "OrderContributions",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ShopId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Orders = table.Column<long>(type: "INTEGER", nullable: false),
                    RevenueMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundsMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    CommissionMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    SecondTierMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    EarnedMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    ReversedMinor = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderContributions", x => new { x.OrderId, x.AffiliateId });
                });

            migrationBuilder.CreateTable(
                name: "ReportGoals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Target = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportGoals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RollupWatermarks",
                columns: table => new
                {
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    LastKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
