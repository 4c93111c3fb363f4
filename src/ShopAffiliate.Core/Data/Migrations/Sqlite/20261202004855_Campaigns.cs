using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CampaignId",
                table: "Creatives",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CampaignId",
                table: "Coupons",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    SegmentKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SegmentGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SegmentStatus = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    SegmentTop = table.Column<int>(type: "INTEGER", nullable: true),
                    SegmentDays = table.Column<int>(type: "INTEGER", nullable: true),
                    AnnouncedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Campaigns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Campaigns_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Hand-written: each program's free-text campaign names become campaigns (open dates, seen by everyone), and their
            // creatives point at them; the id is the first creative's of the name (any unique GUID will do).
            migrationBuilder.Sql("""
                INSERT INTO "Campaigns" ("Id", "WorkspaceId", "Name", "NormalizedName", "SegmentKind", "CreatedAt", "UpdatedAt")
                SELECT MIN("Id"), "WorkspaceId", MIN(TRIM("Campaign")), LOWER(TRIM("Campaign")), 'All', MIN("CreatedAt"), MIN("CreatedAt")
                FROM "Creatives" WHERE "Campaign" IS NOT NULL AND TRIM("Campaign") <> ''
                GROUP BY "WorkspaceId", LOWER(TRIM("Campaign"));
                UPDATE "Creatives" SET "CampaignId" = (SELECT k."Id" FROM "Campaigns" AS k
                    WHERE k."WorkspaceId" = "Creatives"."WorkspaceId" AND k."NormalizedName" = LOWER(TRIM("Creatives"."Campaign")))
                WHERE "Campaign" IS NOT NULL AND TRIM("Campaign") <> '';
                """);

            migrationBuilder.DropColumn(
                name: "Campaign",
                table: "Creatives");

            migrationBuilder.CreateIndex(
                name: "IX_Creatives_CampaignId",
                table: "Creatives",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_CampaignId",
                table: "Coupons",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_WorkspaceId_NormalizedName",
                table: "Campaigns",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Coupons_Campaigns_CampaignId",
                table: "Coupons",
                column: "CampaignId",
                principalTable: "Campaigns",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Creatives_Campaigns_CampaignId",
                table: "Creatives",
                column: "CampaignId",
                principalTable: "Campaigns",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Coupons_Campaigns_CampaignId",
                table: "Coupons");

            migrationBuilder.DropForeignKey(
                name: "FK_Creatives_Campaigns_CampaignId",
                table: "Creatives");

            migrationBuilder.DropTable(
                name: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_Creatives_CampaignId",
                table: "Creatives");

            migrationBuilder.DropIndex(
                name: "IX_Coupons_CampaignId",
                table: "Coupons");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "Creatives");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "Coupons");

            migrationBuilder.AddColumn<string>(
                name: "Campaign",
                table: "Creatives",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }
    }
}
