using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Commissions_WorkspaceId_AffiliateId",
                table: "Commissions");

            migrationBuilder.CreateIndex(
                name: "IX_Ledger_WorkspaceId_Bucket_AffiliateId_Currency_Amount",
                table: "Ledger",
                columns: new[] { "WorkspaceId", "Bucket", "AffiliateId", "Currency", "Amount" });

            migrationBuilder.CreateIndex(
                name: "IX_Commissions_WorkspaceId_AffiliateId_CreatedAt_Id",
                table: "Commissions",
                columns: new[] { "WorkspaceId", "AffiliateId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Commissions_WorkspaceId_CreatedAt_Id",
                table: "Commissions",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Commissions_WorkspaceId_HeldForReview_CreatedAt_Id",
                table: "Commissions",
                columns: new[] { "WorkspaceId", "HeldForReview", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Commissions_WorkspaceId_Status_CreatedAt_Id",
                table: "Commissions",
                columns: new[] { "WorkspaceId", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AffiliateMessages_WorkspaceId_AffiliateId_Author_ReadAt",
                table: "AffiliateMessages",
                columns: new[] { "WorkspaceId", "AffiliateId", "Author", "ReadAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Ledger_WorkspaceId_Bucket_AffiliateId_Currency_Amount",
                table: "Ledger");

            migrationBuilder.DropIndex(
                name: "IX_Commissions_WorkspaceId_AffiliateId_CreatedAt_Id",
                table: "Commissions");

            migrationBuilder.DropIndex(
                name: "IX_Commissions_WorkspaceId_CreatedAt_Id",
                table: "Commissions");

            migrationBuilder.DropIndex(
                name: "IX_Commissions_WorkspaceId_HeldForReview_CreatedAt_Id",
                table: "Commissions");

            migrationBuilder.DropIndex(
                name: "IX_Commissions_WorkspaceId_Status_CreatedAt_Id",
                table: "Commissions");

            migrationBuilder.DropIndex(
                name: "IX_AffiliateMessages_WorkspaceId_AffiliateId_Author_ReadAt",
                table: "AffiliateMessages");

            migrationBuilder.CreateIndex(
                name: "IX_Commissions_WorkspaceId_AffiliateId",
                table: "Commissions",
                columns: new[] { "WorkspaceId", "AffiliateId" });
        }
    }
}
