using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CreativesAndImpressions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_DailyRollups",
                table: "DailyRollups");

            migrationBuilder.AddColumn<Guid>(
                name: "CreativeId",
                table: "DailyRollups",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "CreativeId",
                table: "Clicks",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_DailyRollups",
                table: "DailyRollups",
                columns: new[] { "WorkspaceId", "Day", "AffiliateId", "LinkId", "SubId", "ShopId", "Currency", "CreativeId" });

            migrationBuilder.CreateTable(
                name: "CreativeBlobs",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CreativeBlobs", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "Creatives",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Destination = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    DisclosureText = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Headline = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Body = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    Tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    Campaign = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Creatives", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Creatives_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Impressions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreativeId = table.Column<Guid>(type: "uuid", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsBot = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Impressions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CreativeFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreativeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Format = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Width = table.Column<int>(type: "integer", nullable: false),
                    Height = table.Column<int>(type: "integer", nullable: false),
                    Frames = table.Column<int>(type: "integer", nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CreativeFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CreativeFiles_Creatives_CreativeId",
                        column: x => x.CreativeId,
                        principalTable: "Creatives",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CreativeFiles_CreativeId_CreatedAt",
                table: "CreativeFiles",
                columns: new[] { "CreativeId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CreativeFiles_Hash",
                table: "CreativeFiles",
                column: "Hash");

            migrationBuilder.CreateIndex(
                name: "IX_Creatives_UpdatedAt",
                table: "Creatives",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Creatives_WorkspaceId_Status",
                table: "Creatives",
                columns: new[] { "WorkspaceId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Impressions_WorkspaceId_At",
                table: "Impressions",
                columns: new[] { "WorkspaceId", "At" });

            // Impressions are read by the rollup worker as clicks are: by the transaction that inserted them (ADR 0019).
            migrationBuilder.Sql("""
                ALTER TABLE "Impressions" ADD COLUMN "RollupTx" bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
                CREATE INDEX "IX_Impressions_RollupTx_Id" ON "Impressions" ("RollupTx", "Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CreativeBlobs");

            migrationBuilder.DropTable(
                name: "CreativeFiles");

            migrationBuilder.DropTable(
                name: "Impressions");

            migrationBuilder.DropTable(
                name: "Creatives");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DailyRollups",
                table: "DailyRollups");

            migrationBuilder.DropColumn(
                name: "CreativeId",
                table: "DailyRollups");

            migrationBuilder.DropColumn(
                name: "CreativeId",
                table: "Clicks");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DailyRollups",
                table: "DailyRollups",
                columns: new[] { "WorkspaceId", "Day", "AffiliateId", "LinkId", "SubId", "ShopId", "Currency" });
        }
    }
}
