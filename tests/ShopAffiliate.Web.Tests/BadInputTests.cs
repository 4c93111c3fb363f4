using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using ShopAffiliate.Web.Tests.Infrastructure;

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
        var routes = WriteRoutes();
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

    /// <summary>Every route mapped for a write method (Razor Pages carry no method metadata: their forms have their own tests).</summary>
    private List<(string Method, RoutePattern Pattern)> WriteRoutes() =>
        App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, e.RoutePattern)))
            .Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            .DistinctBy(r => (r.Method, r.RoutePattern.RawText))
            .ToList();

    /// <summary>"/api/v1/affiliates/{id:guid}" → "/api/v1/affiliates/{id}", the OpenAPI document's key.</summary>
    private static string OpenApiPath(RoutePattern pattern) => Render(pattern, p => "{" + p.Name + "}");

    /// <summary>A well-formed id for each route value, so the body is what gets judged.</summary>
    private static string Fill(RoutePattern pattern) => Render(pattern, _ => Guid.NewGuid().ToString());

    private static string Render(RoutePattern pattern, Func<RoutePatternParameterPart, string> parameter) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart v => parameter(v),
            RoutePatternSeparatorPart sep => sep.Content,
            _ => "",
        }))));

    private static JsonNode? RequestSchema(JsonNode openApi, string path, string method) =>
        openApi["paths"]?[path]?[method.ToLowerInvariant()]?["requestBody"]?["content"]?["application/json"]?["schema"];

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

    /// <summary>A plausible value for the schema, so a bad value in one field is the only thing wrong.</summary>
    private static JsonNode? Sample(JsonNode openApi, JsonNode? schema, int depth)
    {
        schema = Resolve(openApi, schema);
        var types = Types(schema);
        if (schema?["enum"] is JsonArray values && values.Count > 0) return values[0]?.DeepClone();
        if (types.Contains("object") && depth < 4)
        {
            var result = new JsonObject();
            if (schema?["properties"] is JsonObject properties)
            {
                foreach (var (name, property) in properties) result[name] = Sample(openApi, property, depth + 1);
            }
            return result;
        }
        if (types.Contains("array")) return new JsonArray();
        if (types.Contains("boolean")) return JsonValue.Create(false);
        if (types.Contains("integer")) return JsonValue.Create(1);
        if (types.Contains("number")) return JsonValue.Create(1);
        if (types.Contains("string"))
        {
            return (string?)schema?["format"] switch
            {
                "uuid" => JsonValue.Create(Guid.NewGuid()),
                "date-time" => JsonValue.Create(DateTimeOffset.UtcNow),
                _ => JsonValue.Create("sample"),
            };
        }
        return null;
    }

    private static JsonNode? Resolve(JsonNode openApi, JsonNode? schema)
    {
        for (var i = 0; i < 10 && schema?["$ref"] is JsonValue reference; i++)
        {
            var name = ((string)reference!).Split('/')[^1];
            schema = openApi["components"]?["schemas"]?[name];
        }
        // "oneOf"/"anyOf" of null and a type, as nullable references come out.
        if ((schema?["oneOf"] ?? schema?["anyOf"]) is JsonArray { Count: > 0 } choices)
        {
            var chosen = choices.FirstOrDefault(c => !Types(Resolve(openApi, c)).SequenceEqual(["null"]));
            return Resolve(openApi, chosen);
        }
        return schema;
    }

    private static string[] Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => [(string)v!],
        JsonArray a => a.Select(t => (string)t!).ToArray(),
        _ => schema?["properties"] is not null ? ["object"] : [],
    };

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

public sealed class BadInputOnSqlite(SqliteApp fixture) : BadInputTests(fixture), IClassFixture<SqliteApp>;

public sealed class BadInputOnPostgres(PostgresApp fixture) : BadInputTests(fixture), IClassFixture<PostgresApp>;
