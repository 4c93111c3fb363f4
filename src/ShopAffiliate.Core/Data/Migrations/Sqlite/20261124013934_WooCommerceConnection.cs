using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WooCommerceConnection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ApiAuth",
                table: "Shops",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BaseUrl",
                table: "Shops",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EncryptedLaunchSecret",
                table: "Shops",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PlainPermalinks",
                table: "Shops",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "SyncError",
                table: "Shops",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SyncedThrough",
                table: "Shops",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApiAuth",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "BaseUrl",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "EncryptedLaunchSecret",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "PlainPermalinks",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "SyncError",
                table: "Shops");

            migrationBuilder.DropColumn(
                name: "SyncedThrough",
                table: "Shops");
        }
    }
}
