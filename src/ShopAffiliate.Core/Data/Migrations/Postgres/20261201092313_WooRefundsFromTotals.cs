using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WooRefundsFromTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "RefundsFromTotals",
                table: "Orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_RefundsFromTotals",
                table: "Orders",
                columns: new[] { "ShopId", "RefundsFromTotals" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_RefundsFromTotals",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "RefundsFromTotals",
                table: "Orders");
        }
    }
}
