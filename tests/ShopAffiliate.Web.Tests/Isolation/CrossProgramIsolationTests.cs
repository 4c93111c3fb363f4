using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Core.Data;
using ShopAffiliate.Web.Tests.Infrastructure;

namespace ShopAffiliate.Web.Tests.Isolation;

/// <summary>
/// Every route the app maps (minimal APIs from the endpoint data source, every handler of every Razor page), called
/// with each of program A's credentials (API key, Shopify session token, staff cookie, portal cookie) on program B's
/// ids, slug and <c>?ws=</c>: none may answer with B's data or a 5xx, the credential a route is meant for must be
/// refused with a 4xx, the others must not get a 2xx, and no write may change any of B's rows.
/// </summary>
public abstract class CrossProgramIsolationTests(TwoPrograms fixture)
{
    private TestApp App => fixture.App;
    private ProgramIds A => fixture.A;
    private ProgramIds B => fixture.B;

    public enum Credential
    {
        ApiKey,
        ShopifySessionToken,
        StaffCookie,
        PortalCookie,
    }

    /// <summary>One way of calling a route: a method and, for a Razor page, a handler and its parameters.</summary>
    private sealed record Probe(string Method, RoutePattern Pattern, string Path, RouteRule Rule, string? Handler, IReadOnlyList<(string Name, Type Type)> Parameters)
    {
        public bool Page { get; init; }

        /// <summary>A page that acts on one program: a <c>{slug}</c>, or a <c>ws</c> it binds.</summary>
        public bool TakesProgram { get; init; }
        public bool IsWrite => Method is not ("GET" or "HEAD");
        public override string ToString() => $"{Method} {Path}{(Handler is { Length: > 0 } h ? "?handler=" + h : "")}";
    }

    [Fact]
    public async Task EveryRouteIsClassifiedInRouteIsolation()
    {
        var unclassified = new List<string>();
        var paths = (await ProbesAsync(unclassified)).Select(p => p.Path).ToHashSet();
        Assert.True(unclassified.Count == 0,
            "Routes the isolation test cannot classify. Add one line per route to RouteIsolation.Rules " +
            "(tests/ShopAffiliate.Web.Tests/Isolation/RouteIsolation.cs), e.g.\n" + string.Join("\n", unclassified.Distinct().Select(Suggestion)));
        var stale = RouteIsolation.Rules.Where(r => !paths.Any(r.Covers)).Select(r => r.Prefix).ToList();
        Assert.True(stale.Count == 0, "Lines of RouteIsolation.Rules that match no route any more (remove them): " + string.Join(", ", stale));
    }

    [Fact]
    public async Task NoCredentialOfOneProgramReachesTheOthersData()
    {
        await AssertEachCredentialWorksOnItsOwnProgramAsync();
        var probes = await ProbesAsync(unclassified: []);
        var openApi = JsonNode.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var tokens = new Dictionary<Credential, string>
        {
            [Credential.StaffCookie] = await Forms.TokenAsync(fixture.AStaff, $"/admin/api-keys?ws={A.Workspace}"),
            [Credential.PortalCookie] = await Forms.TokenAsync(fixture.AAffiliate, $"/portal/p/{A.Slug}/profile"),
        };
        var failures = new List<string>();
        var calls = 0;
        var before = await SnapshotAsync();
        foreach (var probe in probes.Where(p => p.Rule.Access != Access.Public))
        {
            var routeBefore = probe.IsWrite ? await SnapshotAsync() : before;
            foreach (var credential in Enum.GetValues<Credential>())
            {
                // Pages also on A's own program with B's ids; API writes also on A's own {id} with B's ids in the body.
                foreach (var onA in probe.Page || probe.IsWrite && probe.Pattern.GetParameter("id") is not null ? [false, true] : new[] { false })
                {
                    if (Request(probe, credential, onA, openApi, tokens, failures) is not { } request) continue;
                    calls++;
                    var sent = request.RequestUri + " " + (request.Content is null ? "" : await request.Content.ReadAsStringAsync());
                    using var response = await Client(credential).SendAsync(request);
                    Judge(probe, credential, onA, sent, response, await response.Content.ReadAsStringAsync(), failures);
                }
            }
            if (probe.IsWrite) Compare(routeBefore, await SnapshotAsync(), probe.ToString(), failures);
        }
        Compare(before, await SnapshotAsync(), "the whole run", failures);
        // The refusals above are isolation, not sessions that ended on the way.
        await AssertEachCredentialWorksOnItsOwnProgramAsync();
        Assert.True(calls > 100, $"Only {calls} calls were made: the probes are not being generated.");
        Assert.True(failures.Count == 0, $"{failures.Count} isolation failures in {calls} calls:\n" + string.Join("\n", failures.Distinct()));
    }

    [Fact]
    public async Task TheChecksumOfBsRowsSeesAChangedRow()
    {
        var before = await SnapshotAsync();
        var name = await fixture.WithDbAsync(B.Workspace, db => db.CommissionGroups.Where(g => g.Id == B.Group).Select(g => g.Name).SingleAsync());
        await SetGroupNameAsync(name + " changed");
        try
        {
            var changed = new List<string>();
            Compare(before, await SnapshotAsync(), "renaming B's group", changed);
            Assert.Equal("renaming B's group changed B's CommissionGroup", Assert.Single(changed).Split(':')[0]);
        }
        finally
        {
            await SetGroupNameAsync(name);
        }
        Assert.Equal(before, await SnapshotAsync());
    }

    private Task<int> SetGroupNameAsync(string name) =>
        fixture.WithDbAsync(B.Workspace, db => db.CommissionGroups.Where(g => g.Id == B.Group).ExecuteUpdateAsync(s => s.SetProperty(g => g.Name, name)));

    private async Task AssertEachCredentialWorksOnItsOwnProgramAsync()
    {
        foreach (var credential in (Credential[])[Credential.ApiKey, Credential.ShopifySessionToken])
        {
            using var own = Authorized(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/affiliates/{A.Affiliate}"), credential);
            Assert.Equal((credential, HttpStatusCode.OK), (credential, (await Client(credential).SendAsync(own)).StatusCode));
        }
        Assert.Equal(HttpStatusCode.OK, (await fixture.AStaff.GetAsync($"/admin/applications?ws={A.Workspace}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.AAffiliate.GetAsync($"/portal/p/{A.Slug}/links")).StatusCode);
    }

    /// <summary>Every route × method (minimal APIs) and every handler of every page, classified by <see cref="RouteIsolation"/>.</summary>
    private async Task<List<Probe>> ProbesAsync(List<string> unclassified)
    {
        var loader = App.Services.GetRequiredService<PageLoader>();
        var probes = new List<Probe>();
        foreach (var endpoint in AppRoutes.Endpoints(App))
        {
            var path = AppRoutes.OpenApiPath(endpoint.RoutePattern);
            if (RouteIsolation.For(path) is not { } rule)
            {
                unclassified.Add(path);
                continue;
            }
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                var bindsWs = compiled.BoundProperties.Any(p => p.Name == "Ws");
                probes.AddRange(compiled.HandlerMethods.Select(h => new Probe(h.HttpMethod.ToUpperInvariant(), endpoint.RoutePattern, path, rule, h.Name ?? "",
                    h.Parameters.Select(p => (p.Name, p.ParameterType)).ToList())
                {
                    Page = true,
                    TakesProgram = bindsWs || endpoint.RoutePattern.GetParameter("slug") is not null || h.Parameters.Any(p => p.Name == "ws"),
                }));
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            // The handler's own parameters: the query values it reads (a program, an affiliate filter...).
            var parameters = endpoint.Metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault()?.GetParameters()
                .Where(p => p.Name is not null && endpoint.RoutePattern.GetParameter(p.Name) is null && IsSimple(p.ParameterType))
                .Select(p => (p.Name!, p.ParameterType)).ToList() ?? [];
            probes.AddRange(methods.Select(m => new Probe(m, endpoint.RoutePattern, path, rule, null, parameters)
            {
                TakesProgram = parameters.Any(p => p.Item1 is "ws" or "workspace"),
            }));
        }
        return probes.DistinctBy(p => p.ToString()).ToList();
    }

    private static string Suggestion(string path) =>
        path.StartsWith("/api/", StringComparison.Ordinal) ? $"    Api(\"{path}\", b => b.<B's id for {{id}}>),"
        : path.StartsWith("/admin", StringComparison.Ordinal) ? $"    Staff(\"{path}\"),"
        : path.StartsWith("/portal/p/", StringComparison.Ordinal) ? $"    Portal(\"{path}\"),"
        : $"    Public(\"{path}\", \"why anyone may call it\"),  // or Api/Staff/Portal/Webhook(\"{path}\")";

    /// <summary>
    /// The request: B's values in the route (on A's own program for <paramref name="onA"/>, with B's ids only), in the
    /// query and the form or body. Null (with a failure) when a value is missing from <see cref="RouteIsolation"/>.
    /// </summary>
    private HttpRequestMessage? Request(Probe probe, Credential credential, bool onA, JsonNode openApi, Dictionary<Credential, string> tokens, List<string> failures)
    {
        var program = onA ? A : B;
        string? missing = null;
        var url = AppRoutes.Render(probe.Pattern, p => p.Name switch
        {
            "id" => probe.Rule.Id?.Invoke(probe.Page ? B : program).ToString() ?? Missing(ref missing, "{id}"),
            "slug" => program.Slug,
            _ => RouteIsolation.Value(B, p.Name) ?? Missing(ref missing, "{" + p.Name + "}"),
        });
        var query = new Dictionary<string, string>();
        var fields = new Dictionary<string, string>();
        if (probe.Page)
        {
            if (probe.Handler is { Length: > 0 } handler) query["handler"] = handler;
            if (probe.Rule.Access == Access.StaffCookie && probe.TakesProgram) query["ws"] = fields["ws"] = program.Workspace.ToString();
            foreach (var (name, type) in probe.Parameters)
            {
                if (type == typeof(CancellationToken) || name == "slug") continue;
                var value = name == "ws" ? program.Workspace.ToString()
                    : name == "id" && probe.Rule.Id is { } id ? id(B).ToString()
                    : RouteIsolation.Value(B, name)
                    ?? (type == typeof(Guid) || type == typeof(Guid?) ? Missing(ref missing, $"handler parameter '{name}'") : type == typeof(int) ? "1" : name == "format" ? "png" : "probe");
                (probe.IsWrite ? fields : query)[name] = value;
            }
        }
        else
        {
            foreach (var (name, _) in probe.Parameters)
            {
                if ((name is "ws" or "workspace" ? program.Workspace.ToString() : RouteIsolation.Value(B, name)) is { } value) query[name] = value;
            }
        }
        if (missing is not null)
        {
            failures.Add($"{probe}: no value of B for {missing}. Add it to RouteIsolation.Value, or give the route's line `b => b.<id>`.");
            return null;
        }
        if (query.Count > 0) url += "?" + string.Join("&", query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}"));
        var request = new HttpRequestMessage(new HttpMethod(probe.Method), url);
        if (probe.Page && probe.IsWrite)
        {
            if (tokens.TryGetValue(credential, out var token)) fields["__RequestVerificationToken"] = token;
            request.Content = new FormUrlEncodedContent(fields);
        }
        else if (probe.IsWrite)
        {
            var schema = AppRoutes.RequestSchema(openApi, probe.Path, probe.Method);
            var body = schema is null ? new JsonObject() : AppRoutes.Sample(openApi, schema, 0, BodyValue);
            var json = body?.ToJsonString() ?? "{}";
            // On A's own id, only a body that names something of B's is a probe of isolation.
            if (onA && !B.Markers.Any(m => json.Contains(m, StringComparison.Ordinal))) return null;
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            if (probe.Rule.Access == Access.Webhook) request.Headers.Add("X-Shopify-Shop-Domain", B.ShopDomain);
        }
        return Authorized(request, credential);
    }

    private static string Missing(ref string? missing, string what)
    {
        missing ??= what;
        return "missing";
    }

    /// <summary>A body that is valid but for the program: B's ids where ids go, A's own shop for a destination.</summary>
    private JsonNode? BodyValue(string name) => name switch
    {
        "destination" => JsonValue.Create($"https://{A.ShopDomain}/products/probe"),
        "email" => JsonValue.Create($"probe.{Guid.NewGuid():N}@example.com"),
        "referralCode" or "code" => JsonValue.Create($"probe{Guid.NewGuid():N}"[..20]),
        "currency" => JsonValue.Create("USD"),
        "amount" or "target" => JsonValue.Create(10m),
        "name" => JsonValue.Create($"Probe {Guid.NewGuid():N}"),
        "rules" => JsonNode.Parse("""[{"scope":"all","kind":"Percent","value":0.1}]"""),
        "from" or "to" or "day" => JsonValue.Create(DateTime.UtcNow.ToString("yyyy-MM-dd")),
        "reason" or "subject" or "body" => JsonValue.Create("An isolation probe"),
        _ when name.EndsWith("Id", StringComparison.Ordinal) && RouteIsolation.Value(B, name) is { } id => JsonValue.Create(id),
        "month" => JsonValue.Create(B.Month),
        _ => null,
    };

    private HttpRequestMessage Authorized(HttpRequestMessage request, Credential credential)
    {
        if (credential == Credential.ApiKey) request.Headers.Authorization = new("Bearer", A.ApiKey);
        if (credential == Credential.ShopifySessionToken) request.Headers.Authorization = new("Bearer", TwoPrograms.SessionToken(A));
        return request;
    }

    private HttpClient? _bare;

    private HttpClient Client(Credential credential) => credential switch
    {
        Credential.StaffCookie => fixture.AStaff,
        Credential.PortalCookie => fixture.AAffiliate,
        _ => _bare ??= fixture.Bare(),
    };

    private static bool IsFor(Probe probe, Credential credential) => (probe.Rule.Access, credential) switch
    {
        (Access.Api, Credential.ApiKey or Credential.ShopifySessionToken) => true,
        (Access.StaffCookie, Credential.StaffCookie) => true,
        // Inside the Shopify admin the session token signs in to the admin pages instead of the cookie (ADR 0032).
        (Access.StaffCookie, Credential.ShopifySessionToken) => probe.Path.StartsWith("/admin", StringComparison.Ordinal),
        (Access.PortalCookie, Credential.PortalCookie) => true,
        _ => false,
    };

    private void Judge(Probe probe, Credential credential, bool onA, string sent, HttpResponseMessage response, string body, List<string> failures)
    {
        var status = (int)response.StatusCode;
        var what = $"{probe} as A's {credential}{(onA ? " on A's program with B's ids" : " on B")} ({sent.Split(' ')[0]}): {status}";
        if (status >= 500) failures.Add($"{what}, a server error: {Truncate(body)}");
        var seen = body + " " + response.Headers.Location;
        var leaked = B.Markers.Where(m => !sent.Contains(m, StringComparison.Ordinal) && seen.Contains(m, StringComparison.Ordinal)).ToList();
        if (leaked.Count > 0) failures.Add($"{what}, with B's data ({string.Join(", ", leaked)}): {Truncate(body)}");
        if (!IsFor(probe, credential))
        {
            if (status is >= 200 and < 300) failures.Add($"{what}: this credential is not for this route, it must be refused.");
            return;
        }
        // The credential the route is meant for, pointed at B: B's id in the path, B's program (?ws=, slug), or B's
        // ids in what a write sends must be refused. A read of a list filtered by B's id may answer (A's data only).
        var namesB = !onA && (probe.TakesProgram || HasBValueInPath(probe)) || probe.IsWrite && B.Markers.Any(m => sent.Contains(m, StringComparison.Ordinal));
        if (namesB && status is < 400 or >= 500) failures.Add($"{what}: expected 403/404 (or a 4xx ProblemDetails for a body).");
    }

    private static bool IsSimple(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(DateOnly) || t == typeof(decimal));

    private static bool HasBValueInPath(Probe probe) => probe.Pattern.Parameters.Count > 0
        && probe.Pattern.Parameters.Any(p => p.Name is "id" or "slug" or "shopId" || p.Name.EndsWith("Id", StringComparison.Ordinal));

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    /// <summary>Per table: B's row count and a hash of its rows; B's workspace row; the accounts of B's staff and affiliates.</summary>
    private async Task<SortedDictionary<string, string>> SnapshotAsync()
    {
        await using var scope = App.Scope(B.Workspace);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tables = new SortedDictionary<string, string>();
        foreach (var type in db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && !t.IsOwned()))
        {
            var rows = (Task<string>)typeof(CrossProgramIsolationTests).GetMethod(nameof(RowsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type.ClrType).Invoke(null, [type, db])!;
            tables[type.ShortName()] = await rows;
        }
        var workspace = db.Model.FindEntityType(typeof(ShopAffiliate.Core.Workspaces.Workspace))!;
        tables["Workspace"] = Checksum(await db.Workspaces.AsNoTracking().Where(w => w.Id == B.Workspace).ToListAsync(), workspace);
        var people = await db.StaffMembers.Select(s => s.UserId).Concat(db.Affiliates.Where(a => a.UserId != null).Select(a => a.UserId!.Value)).ToListAsync();
        tables["AppUser"] = Checksum(await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToListAsync(), db.Model.FindEntityType(typeof(ShopAffiliate.Core.Identity.AppUser))!);
        return tables;
    }

    private static async Task<string> RowsAsync<T>(IEntityType type, AppDbContext db) where T : class =>
        Checksum(await db.Set<T>().AsNoTracking().ToListAsync(), type);

    private static string Checksum<T>(List<T> rows, IEntityType type)
    {
        var properties = type.GetProperties().Where(p => p.PropertyInfo is not null || p.FieldInfo is not null).ToList();
        var lines = rows.Select(r => string.Join("|", properties.Select(p => Format(p.PropertyInfo?.GetValue(r) ?? p.FieldInfo?.GetValue(r))))).Order(StringComparer.Ordinal);
        return $"{rows.Count} rows, {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))))[..16]}";
    }

    private static string Format(object? value) => value switch
    {
        null => "∅",
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Compare(SortedDictionary<string, string> before, SortedDictionary<string, string> after, string by, List<string> failures)
    {
        foreach (var (table, was) in before)
        {
            if (after[table] != was) failures.Add($"{by} changed B's {table}: {was} → {after[table]}");
        }
    }
}

public sealed class CrossProgramIsolationOnSqlite(TwoProgramsOnSqlite fixture) : CrossProgramIsolationTests(fixture), IClassFixture<TwoProgramsOnSqlite>;

public sealed class CrossProgramIsolationOnPostgres(TwoProgramsOnPostgres fixture) : CrossProgramIsolationTests(fixture), IClassFixture<TwoProgramsOnPostgres>;
