using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MonthlyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MonthlyProductRollups",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    ShopId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Orders = table.Column<long>(type: "bigint", nullable: false),
                    Quantity = table.Column<long>(type: "bigint", nullable: false),
                    RevenueMinor = table.Column<long>(type: "bigint", nullable: false),
                    CommissionMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonthlyProductRollups", x => new { x.WorkspaceId, x.AffiliateId, x.ShopId, x.ProductId, x.Month, x.Currency });
                });

            migrationBuilder.CreateTable(
                name: "MonthlyRollups",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
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
                    table.PrimaryKey("PK_MonthlyRollups", x => new { x.WorkspaceId, x.AffiliateId, x.Month, x.ShopId, x.Currency });
                });

            // Hand-written (ADR 0041): the triggers that keep the monthly tables and the first fill from the days.
            foreach (var table in Reports.MonthlyRollupSql.All)
            {
                foreach (var sql in table.CreateTriggers(postgres: true)) migrationBuilder.Sql(sql);
                foreach (var sql in table.Refill(postgres: true)) migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Reports.MonthlyRollupSql.All)
                foreach (var sql in table.DropTriggers(postgres: true)) migrationBuilder.Sql(sql);
            migrationBuilder.DropTable(
                name: "MonthlyProductRollups");

            migrationBuilder.DropTable(
                name: "MonthlyRollups");
        }
    }
}
