using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Agency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CredentialsFailedAt",
                table: "Shops",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CredentialsFailedAt",
                table: "Shops");
        }
    }
}
