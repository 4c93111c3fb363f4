using Microsoft.EntityFrameworkCore;

namespace ShopAffiliate.Core.Paging;

/// <summary>What a pager needs to know about a page, whatever its rows are.</summary>
public interface IPaged
{
    int Page { get; }
    int PageSize { get; }
    int Total { get; }
}

/// <summary>One page of a list, counted on the server: the admin's tables never load more than a page.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total) : IPaged
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

/// <summary>A page asked for in a query string (<c>?page=2</c>), clamped so no request can ask for everything.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;

    public static PageRequest Of(int? page, int? pageSize = null) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize));

    public int Skip => (Page - 1) * PageSize;
}

public static class PagingExtensions
{
    /// <summary>Counts <paramref name="query"/> and reads the requested page of it (already ordered by the caller).</summary>
    public static async Task<PagedResult<T>> ToPageAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        // A page past the end shows the last one rather than an empty table after a filter shrank the list.
        var last = Math.Max(1, (total + request.PageSize - 1) / request.PageSize);
        var page = Math.Min(request.Page, last);
        var items = await query.Skip((page - 1) * request.PageSize).Take(request.PageSize).ToListAsync(ct);
        return new PagedResult<T>(items, page, request.PageSize, total);
    }
}
