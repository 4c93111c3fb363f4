using ShopAffiliate.Core.Engine;

namespace ShopAffiliate.Core.Tests.Engine;

public class MoneyTests
{
    [Fact]
    public void AddingTwoCurrenciesThrows()
    {
        var dollars = new Money(1m, "USD");
        var euros = new Money(1m, "EUR");

        Assert.Throws<CurrencyMismatchException>(() => dollars + euros);
        Assert.Throws<CurrencyMismatchException>(() => dollars - euros);
        Assert.Throws<CurrencyMismatchException>(() => dollars < euros);
    }

    [Fact]
    public void SameCurrencyArithmeticWorksAndCodesAreNormalised()
    {
        var sum = new Money(1.25m, "usd") + new Money(2.50m, " USD ");

        Assert.Equal(new Money(3.75m, "USD"), sum);
        Assert.Equal("USD", sum.Currency);
        Assert.Equal(new Money(-3.75m, "USD"), -sum);
        Assert.Equal(new Money(7.5m, "USD"), sum * 2m);
    }

    [Fact]
    public void CurrencyCodeThatIsNotThreeLettersIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new Money(1m, "US"));
        Assert.Throws<ArgumentException>(() => new Money(1m, "US1"));
    }

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("HUF", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("ISK", 0)]
    [InlineData("CLP", 0)]
    [InlineData("VND", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("JOD", 3)]
    [InlineData("OMR", 3)]
    [InlineData("TND", 3)]
    public void MinorUnitsFollowIso4217(string currency, int expected) => Assert.Equal(expected, Currencies.MinorUnits(currency));

    [Theory]
    [InlineData("USD", "0.125", "0.13")]
    [InlineData("USD", "0.135", "0.14")]
    [InlineData("USD", "-0.125", "-0.13")]
    [InlineData("JPY", "122.5", "123")]
    [InlineData("JPY", "123.5", "124")]
    [InlineData("KWD", "1.0005", "1.001")]
    public void CommissionRoundingIsHalfAwayFromZero(string currency, string amount, string expected)
    {
        var rounded = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency).RoundCommission();

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), rounded.Amount);
    }

    [Fact]
    public void MoneyPrintsWithTheCurrencysMinorUnits()
    {
        Assert.Equal("12.50 USD", new Money(12.5m, "USD").ToString());
        Assert.Equal("1500 JPY", new Money(1500m, "JPY").ToString());
        Assert.Equal("1.250 KWD", new Money(1.25m, "KWD").ToString());
    }
}
