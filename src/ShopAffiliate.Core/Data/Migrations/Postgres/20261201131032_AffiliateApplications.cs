using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AffiliateApplications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PayoutDetails",
                table: "Affiliates",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AffiliateApplications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    AnswersJson = table.Column<string>(type: "character varying(60000)", maxLength: 60000, nullable: false),
                    IpHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    Signals = table.Column<int[]>(type: "integer[]", nullable: false),
                    AutoApproved = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AffiliateApplications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AffiliateApplications_Affiliates_AffiliateId",
                        column: x => x.AffiliateId,
                        principalTable: "Affiliates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProgramPages",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Pitch = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Terms = table.Column<string>(type: "character varying(40000)", maxLength: 40000, nullable: false),
                    TermsVersion = table.Column<int>(type: "integer", nullable: false),
                    QuestionsJson = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    AcceptingApplications = table.Column<bool>(type: "boolean", nullable: false),
                    AutoApprove = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AutoApproveDomains = table.Column<List<string>>(type: "text[]", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProgramPages", x => x.WorkspaceId);
                    table.ForeignKey(
                        name: "FK_ProgramPages_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TermsAcceptances",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AffiliateId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    AcceptedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TermsAcceptances", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TermsAcceptances_Affiliates_AffiliateId",
                        column: x => x.AffiliateId,
                        principalTable: "Affiliates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AffiliateApplications_AffiliateId",
                table: "AffiliateApplications",
                column: "AffiliateId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AffiliateApplications_WorkspaceId_IpHash",
                table: "AffiliateApplications",
                columns: new[] { "WorkspaceId", "IpHash" });

            migrationBuilder.CreateIndex(
                name: "IX_TermsAcceptances_AffiliateId_Version",
                table: "TermsAcceptances",
                columns: new[] { "AffiliateId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AffiliateApplications");

            migrationBuilder.DropTable(
                name: "ProgramPages");

            migrationBuilder.DropTable(
                name: "TermsAcceptances");

            migrationBuilder.DropColumn(
                name: "PayoutDetails",
                table: "Affiliates");
        }
    }
}
