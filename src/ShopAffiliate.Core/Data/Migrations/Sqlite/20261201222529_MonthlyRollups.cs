using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopAffiliate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MonthlyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written (ADR 0041): WITHOUT ROWID tables, the triggers that keep them and the first fill from the days.
            foreach (var table in Reports.MonthlyRollupSql.All)
            {
                migrationBuilder.Sql(table.SqliteCreateTable);
                foreach (var sql in table.CreateTriggers(postgres: false)) migrationBuilder.Sql(sql);
                foreach (var sql in table.Refill(postgres: false)) migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Reports.MonthlyRollupSql.All)
                foreach (var sql in table.DropTriggers(postgres: false)) migrationBuilder.Sql(sql);
            migrationBuilder.DropTable(
                name: "MonthlyProductRollups");

            migrationBuilder.DropTable(
                name: "MonthlyRollups");
        }
    }
}
