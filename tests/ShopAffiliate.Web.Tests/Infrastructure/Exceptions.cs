namespace ShopAffiliate.Web.Tests.Infrastructure;

public static class Exceptions
{
    /// <summary>The exception, its inner exceptions and those of every aggregate on the way: where a start-up failure hides.</summary>
    public static IEnumerable<Exception> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten)) yield return inner;
            }
        }
    }
}
