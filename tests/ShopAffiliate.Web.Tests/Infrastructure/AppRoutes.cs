using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ShopAffiliate.Web.Tests.Infrastructure;

/// <summary>
/// The routes the app maps, read from its endpoint data source (so a test built on it covers a new route the day it is
/// added), and the OpenAPI document's schemas turned into plausible values. Shared by the generated tests.
/// </summary>
public static class AppRoutes
{
    public static IReadOnlyList<RouteEndpoint> Endpoints(TestApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    /// <summary>Every route mapped for a write method (Razor Pages carry no method metadata).</summary>
    public static List<(string Method, RoutePattern Pattern)> WriteRoutes(TestApp app) =>
        Endpoints(app)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, e.RoutePattern)))
            .Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            .DistinctBy(r => (r.Method, r.RoutePattern.RawText))
            .ToList();

    /// <summary>"/api/v1/affiliates/{id:guid}" → "/api/v1/affiliates/{id}", the OpenAPI document's key.</summary>
    public static string OpenApiPath(RoutePattern pattern) => Render(pattern, p => "{" + p.Name + "}");

    public static string Render(RoutePattern pattern, Func<RoutePatternParameterPart, string> parameter) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart v => parameter(v),
            RoutePatternSeparatorPart sep => sep.Content,
            _ => "",
        }))));

    public static JsonNode? RequestSchema(JsonNode openApi, string path, string method) =>
        openApi["paths"]?[path]?[method.ToLowerInvariant()]?["requestBody"]?["content"]?["application/json"]?["schema"];

    /// <summary>
    /// A plausible value for the schema, so what a test changes is the only thing wrong; <paramref name="value"/>
    /// may choose a property's value by its name (null: the plausible one).
    /// </summary>
    public static JsonNode? Sample(JsonNode openApi, JsonNode? schema, int depth, Func<string, JsonNode?>? value = null)
    {
        schema = Resolve(openApi, schema);
        var types = Types(schema);
        if (schema?["enum"] is JsonArray values && values.Count > 0) return values[0]?.DeepClone();
        if (types.Contains("object") && depth < 4)
        {
            var result = new JsonObject();
            if (schema?["properties"] is JsonObject properties)
            {
                foreach (var (name, property) in properties) result[name] = value?.Invoke(name) ?? Sample(openApi, property, depth + 1, value);
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

    public static JsonNode? Resolve(JsonNode openApi, JsonNode? schema)
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

    public static string[] Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => [(string)v!],
        JsonArray a => a.Select(t => (string)t!).ToArray(),
        _ => schema?["properties"] is not null ? ["object"] : [],
    };
}
