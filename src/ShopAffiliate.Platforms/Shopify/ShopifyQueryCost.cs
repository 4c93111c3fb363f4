using System.Globalization;

namespace ShopAffiliate.Platforms.Shopify;

/// <summary>
/// The requested cost of a GraphQL query by Shopify's documented rules (docs/decisions/0048): a scalar or enum field
/// costs 0, an object 1 plus its selections, a connection or list sized by <c>first</c>/<c>last</c> 2 plus that many
/// times the cost of one item (for a connection the item is its <c>nodes</c>/<c>edges</c>; <c>pageInfo</c> is counted
/// once as an object). Shopify refuses a query whose requested cost is over <see cref="SingleQueryMaximum"/> with
/// MAX_COST_EXCEEDED before running it. Lists without a size are counted as one object, which is how Shopify counts them;
/// every other choice here errs high. Self-contained (no project references) so the benchmark's fake store links it.
/// </summary>
public static class ShopifyQueryCost
{
    public const int SingleQueryMaximum = 1000;

    /// <summary>The requested cost of <paramref name="query"/>'s first operation; <paramref name="variables"/> resolves <c>$first</c>.</summary>
    public static int Of(string query, IReadOnlyDictionary<string, int>? variables = null)
    {
        var tokens = Tokenize(query);
        var at = tokens.IndexOf("{");
        if (at < 0) throw new FormatException("The query has no selection set.");
        var (cost, _) = SelectionSet(tokens, at, variables ?? new Dictionary<string, int>());
        // The operation's root selections are summed; the root itself costs nothing.
        return cost;
    }

    // Returns the summed cost of the fields in the selection set that opens at tokens[at] and the index after its '}'.
    private static (int Cost, int Next) SelectionSet(List<string> tokens, int at, IReadOnlyDictionary<string, int> variables)
    {
        var i = at + 1;
        var total = 0;
        while (tokens[i] != "}")
        {
            var (cost, next) = Field(tokens, i, variables);
            total += cost;
            i = next;
        }
        return (total, i + 1);
    }

    private static (int Cost, int Next) Field(List<string> tokens, int i, IReadOnlyDictionary<string, int> variables)
    {
        var name = tokens[i++];
        if (i < tokens.Count && tokens[i] == ":") name = tokens[(i += 2) - 1]; // alias: name
        int? size = null;
        if (tokens[i] == "(")
        {
            i++;
            while (tokens[i] != ")")
            {
                var argument = tokens[i];
                i += 2; // name :
                var (value, next) = Value(tokens, i);
                if (argument is "first" or "last")
                    size = value.StartsWith('$')
                        ? variables.TryGetValue(value[1..], out var v) ? v : throw new FormatException($"No value for {value}.")
                        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
                i = next;
            }
            i++;
        }
        if (i >= tokens.Count || tokens[i] != "{") return (0, i); // a scalar or an enum

        if (size is not { } count)
        {
            var (children, after) = SelectionSet(tokens, i, variables);
            return (1 + children, after);
        }
        // A connection: its items (nodes or edges) times the size, its other fields (pageInfo) once; a sized list: each item.
        var j = i + 1;
        int once = 0, each = 0;
        var connection = false;
        while (tokens[j] != "}")
        {
            var child = tokens[j];
            var (cost, next) = Field(tokens, j, variables);
            if (child is "nodes" or "edges") { connection = true; each += cost; } else once += cost;
            j = next;
        }
        return connection ? (2 + count * each + once, j + 1) : (2 + count * (1 + once), j + 1);
    }

    private static (string Value, int Next) Value(List<string> tokens, int i)
    {
        if (tokens[i] == "$") return ("$" + tokens[i + 1], i + 2);
        if (tokens[i] is "[" or "{")
        {
            var close = tokens[i] == "[" ? "]" : "}";
            var depth = 0;
            for (var j = i; ; j++)
            {
                if (tokens[j] is "[" or "{") depth++;
                else if (tokens[j] is "]" or "}" && --depth == 0) return (tokens[i] + close, j + 1);
            }
        }
        return (tokens[i], i + 1);
    }

    private static List<string> Tokenize(string query)
    {
        var tokens = new List<string>();
        for (var i = 0; i < query.Length;)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c) || c == ',') { i++; continue; }
            if (c == '#') { while (i < query.Length && query[i] != '\n') i++; continue; }
            if (c == '"')
            {
                var start = i++;
                while (i < query.Length && query[i] != '"') i += query[i] == '\\' ? 2 : 1;
                tokens.Add(query[start..++i]);
                continue;
            }
            if (char.IsLetterOrDigit(c) || c is '_' or '-' or '.')
            {
                var start = i;
                while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] is '_' or '-' or '.')) i++;
                tokens.Add(query[start..i]);
                continue;
            }
            tokens.Add(c.ToString());
            i++;
        }
        return tokens;
    }
}
