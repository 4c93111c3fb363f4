using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Web.Tests.Infrastructure;
using static ShopAffiliate.Web.Tests.Infrastructure.AppRoutes;

namespace ShopAffiliate.Web.Tests;

/// <summary>
/// Every write route the app maps (read from its endpoint data source, so a new route is covered the day it is
/// added) gets malformed and hostile bodies built from its OpenAPI schema: each must answer a 4xx ProblemDetails.
/// </summary>
public abstract class BadInputTests(BootstrappedApp fixture)
{
    private TestApp App => fixture.App;

    [Fact]
    public async Task EveryWriteRouteAnswersBadInputWithA4xxProblemDetails()
    {
        var openApi = JsonNode.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var routes = WriteRoutes(App);
        Assert.NotEmpty(routes);
        var failures = new List<string>();
        var tried = 0;
        var api = App.ApiClient();
        foreach (var (method, pattern) in routes)
        {
            var template = OpenApiPath(pattern);
            var schema = RequestSchema(openApi, template, method);
            foreach (var (what, body) in BadBodies(openApi, schema))
            {
                tried++;
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern))
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                using var response = await api.SendAsync(request);
                var status = (int)response.StatusCode;
                var type = response.Content.Headers.ContentType?.MediaType;
                if (status is < 400 or >= 500 || type != "application/problem+json")
                    failures.Add($"{method} {template} with {what}: {status} {type} {Truncate(await response.Content.ReadAsStringAsync())}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} bad requests were not answered 4xx ProblemDetails:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task AnUnknownCurrencyForAPayoutBatchIsA400NamingIt()
    {
        var response = await App.ApiClient().PostAsync("/api/v1/payouts/batches",
            new StringContent("""{"currency":"ZZZ"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ZZZ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A well-formed id for each route value, so the body is what gets judged.</summary>
    private static string Fill(RoutePattern pattern) => Render(pattern, _ => Guid.NewGuid().ToString());

    private static IEnumerable<(string What, string Body)> BadBodies(JsonNode openApi, JsonNode? schema)
    {
        yield return ("malformed JSON", """{"name": "unterminated""");
        yield return ("a bare string", "\"just a string\"");
        yield return ("a number", "12");
        yield return ("an array", "[1, 2]");
        yield return ("a deeply nested body", new string('[', 5000) + new string(']', 5000));
        yield return ("a body of 2 MB", "{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        var resolved = Resolve(openApi, schema);
        if (resolved?["properties"] is not JsonObject properties) yield break;

        foreach (var (name, propertySchema) in properties)
        {
            var property = Resolve(openApi, propertySchema);
            foreach (var (what, value) in BadValues(openApi, name, property))
            {
                var body = (JsonObject)Sample(openApi, resolved, depth: 0)!;
                body[name] = value;
                yield return ($"{name} = {what}", body.ToJsonString());
            }
        }
    }

    private static IEnumerable<(string What, JsonNode? Value)> BadValues(JsonNode openApi, string name, JsonNode? schema)
    {
        var types = Types(schema);
        if (!types.Contains("object")) yield return ("an object where a value belongs", new JsonObject { ["x"] = 1 });
        if (!types.Contains("array")) yield return ("an array where a value belongs", new JsonArray(1, 2));
        if (types.Contains("string") || types.Contains("object"))
        {
            yield return ("a number for a string", JsonValue.Create(12345));
        }
        if (types.Contains("integer") || types.Contains("number"))
        {
            yield return ("a word for a number", JsonValue.Create("twelve"));
            yield return ("a huge number", JsonNode.Parse("1e400"));
        }
        if (types.Contains("boolean")) yield return ("a word for a boolean", JsonValue.Create("maybe"));
        if (types.Contains("string"))
        {
            yield return ("an oversized string", JsonValue.Create(new string('x', 100_000)));
            yield return ("control characters", JsonValue.Create("bad\u0000\u0007\u001bvalue"));
            if (schema?["enum"] is JsonArray) yield return ("an unknown enum value", JsonValue.Create("NoSuchValue"));
            if (name.Contains("currency", StringComparison.OrdinalIgnoreCase))
            {
                yield return ("an unknown currency", JsonValue.Create("ZZZ"));
                yield return ("a malformed currency", JsonValue.Create("12"));
            }
        }
        if (types.Contains("object") && schema?["properties"] is JsonObject nested)
        {
            foreach (var (inner, innerSchema) in nested)
            {
                foreach (var (what, value) in BadValues(openApi, inner, Resolve(openApi, innerSchema)))
                {
                    var sample = (JsonObject)Sample(openApi, schema, depth: 1)!;
                    sample[inner] = value;
                    yield return ($"{{{inner} = {what}}}", sample);
                }
            }
        }
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

public sealed class BadInputOnSqlite(SqliteApp fixture) : BadInputTests(fixture), IClassFixture<SqliteApp>;

public sealed class BadInputOnPostgres(PostgresApp fixture) : BadInputTests(fixture), IClassFixture<PostgresApp>;
