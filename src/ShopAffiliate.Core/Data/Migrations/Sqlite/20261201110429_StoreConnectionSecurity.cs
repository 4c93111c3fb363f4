using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StoreConnectionSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StoreAdminRole",
                table: "WorkspaceSettings",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                // Existing programs get the model's default (an empty string would not read back as a role).
                defaultValue: "Manager");

            migrationBuilder.CreateTable(
                name: "ConnectCodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConnectCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConnectCodes_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OneTimeValues",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OneTimeValues", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "StoreAdmins",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ShopId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedByLaunch = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoreAdmins", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StoreAdmins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_StoreAdmins_Shops_ShopId",
                        column: x => x.ShopId,
                        principalTable: "Shops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConnectCodes_ExpiresAt",
                table: "ConnectCodes",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ConnectCodes_Hash",
                table: "ConnectCodes",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConnectCodes_WorkspaceId",
                table: "ConnectCodes",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_OneTimeValues_ExpiresAt",
                table: "OneTimeValues",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_StoreAdmins_ShopId_UserId",
                table: "StoreAdmins",
                columns: new[] { "ShopId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StoreAdmins_UserId",
                table: "StoreAdmins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_StoreAdmins_WorkspaceId",
                table: "StoreAdmins",
                column: "WorkspaceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConnectCodes");

            migrationBuilder.DropTable(
                name: "OneTimeValues");

            migrationBuilder.DropTable(
                name: "StoreAdmins");

            migrationBuilder.DropColumn(
                name: "StoreAdminRole",
                table: "WorkspaceSettings");
        }
    }
}
