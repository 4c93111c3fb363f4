using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProgramTimeZoneAndGiftCards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CommissionOnGiftCards",
                table: "WorkspaceSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "WorkspaceSettings",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Shops",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CommissionOnGiftCards",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Shops");
        }
    }
}
