using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck.Xunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Core.Tracking;

namespace ShopAffiliate.Core.Tests.Tracking;

/// <summary>
/// The click writer inserts on SQLite without EF, so its rows must hold exactly the text EF would have written:
/// otherwise EF's equality filters (by id, by time) would silently miss them.
/// </summary>
public sealed class ClickStoreFormatTests
{
    [Property(MaxTest = 500)]
    public bool GuidsAreUpperCaseLikeEfs(Guid id)
    {
        Span<byte> utf8 = stackalloc byte[SqliteFormat.GuidLength];
        var written = SqliteFormat.Guid(id, utf8);
        return Encoding.UTF8.GetString(utf8[..written]) == id.ToString().ToUpperInvariant();
    }

    [Property(MaxTest = 500)]
    public bool TimesMatchEfsFormatToTheTick(long ticks)
    {
        var at = new DateTime(Math.Abs(ticks % DateTime.MaxValue.Ticks), DateTimeKind.Utc);
        Span<byte> utf8 = stackalloc byte[SqliteFormat.TimeLength];
        var written = SqliteFormat.Time(at, utf8);
        return Encoding.UTF8.GetString(utf8[..written]) == at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(0, "2026-11-24 03:04:05")]
    [InlineData(1, "2026-11-24 03:04:05.0000001")]
    [InlineData(1_230_000, "2026-11-24 03:04:05.123")]
    [InlineData(9_999_999, "2026-11-24 03:04:05.9999999")]
    public void TheFractionLosesTrailingZerosAndItsDotWhenZero(long fractionTicks, string expected)
    {
        var at = new DateTime(2026, 11, 24, 3, 4, 5, DateTimeKind.Utc).AddTicks(fractionTicks);
        Span<byte> utf8 = stackalloc byte[SqliteFormat.TimeLength];

        Assert.Equal(expected, Encoding.UTF8.GetString(utf8[..SqliteFormat.Time(at, utf8)]));
    }

    [Property(MaxTest = 200)]
    public bool TheReusedHmacGivesTheOneShotHash(byte[] salt, string ip)
    {
        using var hasher = new IpHasher(salt);
        // Twice: the second call must not carry anything over from the first.
        return hasher.Hash(ip) == ClickClassifier.HashIp(ip, salt) && hasher.Hash(ip) == ClickClassifier.HashIp(ip, salt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARowFromTheDirectInsertIsTheRowEfWouldHaveWritten(bool withOptionalValues)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=False");
        await connection.OpenAsync();
        await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options);
        await db.Database.EnsureCreatedAsync();

        var byEf = Sample(Guid.NewGuid(), withOptionalValues);
        var direct = Sample(Guid.CreateVersion7(), withOptionalValues);
        db.Clicks.Add(byEf);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        await ClickStore.InsertAsync(db, [direct], CancellationToken.None);

        // Column by column, the stored text (quote() shows type and value) is the same but for the id.
        var rows = await RawRowsAsync(db, connection);
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[byEf.Id.ToString().ToUpperInvariant()], rows[direct.Id.ToString().ToUpperInvariant()]);

        // And EF finds the directly written row by its id and its exact time, and reads every value back.
        var read = await db.Clicks.IgnoreQueryFilters().SingleAsync(c => c.Id == direct.Id && c.At == direct.At);
        Assert.Equivalent(direct, read, strict: true);
    }

    [Fact]
    public async Task AClickIdStoredAlreadyIsSkippedNotAnError()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:;Foreign Keys=False");
        await connection.OpenAsync();
        await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options);
        await db.Database.EnsureCreatedAsync();
        var click = Sample(Guid.CreateVersion7(), withOptionalValues: true);

        await ClickStore.InsertAsync(db, [click], CancellationToken.None);
        await ClickStore.InsertAsync(db, [click, Sample(Guid.CreateVersion7(), withOptionalValues: false)], CancellationToken.None);

        Assert.Equal(2, await db.Clicks.IgnoreQueryFilters().CountAsync());
    }

    private static Click Sample(Guid id, bool withOptionalValues) => new()
    {
        Id = id,
        WorkspaceId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        AffiliateId = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        LinkId = withOptionalValues ? Guid.Parse("a8098c1a-f86e-11da-bd1a-00112444be1e") : null,
        ReferralCode = "jane-doe",
        SubId = withOptionalValues ? "spring-sale" : null,
        At = new DateTime(2026, 11, 24, 3, 4, 5, DateTimeKind.Utc).AddTicks(withOptionalValues ? 1_230_000 : 0),
        Source = withOptionalValues ? ClickSource.Landing : ClickSource.Redirect,
        IpHash = withOptionalValues ? "00112233445566778899aabbccddeeff" : null,
        UserAgent = withOptionalValues ? "Mozilla/5.0 (Ünïcode; Ø)" : null,
        Referrer = withOptionalValues ? "https://blog.example.org/review?ä=1" : null,
        LandingUrl = withOptionalValues ? "https://shop.example.com/p?ref=jane-doe" : null,
        IsBot = withOptionalValues,
        IsDuplicate = !withOptionalValues,
    };

    [Fact]
    public async Task TheDirectInsertWritesEveryColumnOfTheEfModel()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options);

        Assert.Equal(ModelColumns(db).Order(), ClickStore.Columns.Split(", ").Select(c => c.Trim('"')).Order());
    }

    private static List<string> ModelColumns(AppDbContext db) =>
        db.Model.FindEntityType(typeof(Click))!.GetProperties().Select(p => p.GetColumnName()).ToList();

    /// <summary>Id to the quoted text (type and value) of every other column the EF model has.</summary>
    private static async Task<Dictionary<string, string>> RawRowsAsync(AppDbContext db, SqliteConnection connection)
    {
        var others = ModelColumns(db).Where(c => c != "Id").Select(c => $"quote(\"{c}\")");
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"Id\", {string.Join(" || '|' || ", others)} FROM \"Clicks\"";
        var rows = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows[reader.GetString(0)] = reader.GetString(1);
        return rows;
    }
}
