using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BackfillImportProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImportCursor",
                table: "Shops",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportError",
                table: "Shops",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ImportFinishedAt",
                table: "Shops",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImportOrders",
                table: "Shops",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ImportPages",
                table: "Shops",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ImportSince",
                table: "Shops",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ImportStartedAt",
                table: "Shops",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImportTotal",
                table: "Shops",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImportCursor",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportError",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportFinishedAt",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportOrders",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportPages",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportSince",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportStartedAt",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "ImportTotal",
                table: "Shops");
        }
    }
}
