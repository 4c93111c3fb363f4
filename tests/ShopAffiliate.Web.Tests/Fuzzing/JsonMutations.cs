using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace ShopAffiliate.Web.Tests.Fuzzing;

public enum MutationKind
{
    /// <summary>The field or array item is removed.</summary>
    Drop,

    /// <summary>The value becomes one of <see cref="JsonMutations.Replacements"/> (types changed, huge numbers, unicode).</summary>
    Replace,

    /// <summary>The value becomes a copy of another value of the same document (a realistic value in the wrong place).</summary>
    Transplant,

    /// <summary>The value is wrapped in an array.</summary>
    Wrap,
}

/// <summary>
/// One change to a JSON document: <see cref="Target"/> picks a value (modulo the values there are, depth first),
/// <see cref="Pick"/> the replacement or the value transplanted. Plain numbers, so FsCheck shrinks and prints them.
/// </summary>
public sealed record Mutation(int Target, MutationKind Kind, int Pick)
{
    public override string ToString() => Kind switch
    {
        MutationKind.Replace => $"{Kind} #{Target} with {JsonMutations.Replacements[Pick % JsonMutations.Replacements.Length]}",
        _ => $"{Kind} #{Target} ({Pick})",
    };
}

/// <summary>A realistic payload with some mutations applied; <see cref="ToString"/> names the changed paths for a failure's report.</summary>
public sealed record MutatedPayload(string Name, string Json, IReadOnlyList<string> Changes)
{
    public override string ToString() => $"{Name}: {string.Join("; ", Changes)}";
}

/// <summary>Mutations of realistic platform payloads, applied to the parsed tree and written back as (valid) JSON text.</summary>
public static class JsonMutations
{
    /// <summary>Raw JSON values put in place of a field: every type, numbers beyond decimal, long and int, odd text.</summary>
    public static readonly string[] Replacements =
    [
        "null", "true", "false", "0", "-1", "1.5", "\"\"", "\"   \"", "\"abc\"", "{}", "[]", "[1,2]", "{\"id\":1}", "[{}]",
        "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "79228162514264337593543950335", "-79228162514264337593543950335", "7.9e28", "-7.9e28", "1e400", "-1e400", "1e-400",
        "0.00000000000000000000000000001", "99999999999999999999999999999999999999999",
        "\"79228162514264337593543950335\"", "\"-79228162514264337593543950335\"", "\"1e30\"", "\"NaN\"", "\"Infinity\"", "\"1,000.00\"",
        "\"2147483648\"", "\"-0\"", "\"0x1F\"",
        "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"2026-02-30T10:00:00Z\"", "\"yesterday\"",
        "\"Ærøskøbing 東京 🎉 مرحبا\"", "\"\\u0000\"", "\"\\u202e\\u200b\"", "\"\\ud800\"", "\"\\udfff\\ud800x\"", "\"\\uffff\"",
        "\"?ref=%ZZ&sa_click=%&ref=%E0%A4%A\"", "\"/p?ref=&#\"", "\"aff-\"", "\"aff-🎉\"",
        "\"" + new string('x', 20_000) + "\"",
    ];

    /// <summary>One to four mutations.</summary>
    public static Gen<Mutation[]> Mutations() =>
        from count in Gen.Choose(1, 4)
        from list in Gen.ArrayOf(MutationGen, count)
        select list;

    private static readonly Gen<Mutation> MutationGen =
        from target in Gen.Choose(0, 10_000)
        from kind in Gen.Frequency((2, Gen.Constant(MutationKind.Drop)), (5, Gen.Constant(MutationKind.Replace)),
            (2, Gen.Constant(MutationKind.Transplant)), (1, Gen.Constant(MutationKind.Wrap)))
        from pick in Gen.Choose(0, 10_000)
        select new Mutation(target, kind, pick);

    public static MutatedPayload Apply(string name, string json, IEnumerable<Mutation> mutations)
    {
        var root = JsonNode.Parse(json)!;
        var raw = new List<string>();
        var changes = new List<string>();
        foreach (var mutation in mutations)
        {
            var values = Descendants(root).ToList();
            if (values.Count == 0) break;
            var (parent, key, index, node) = values[mutation.Target % values.Count];
            var path = node?.GetPath() ?? (parent.GetPath() + (key is null ? $"[{index}]" : $".{key}"));
            JsonNode? replacement;
            switch (mutation.Kind)
            {
                case MutationKind.Drop:
                    if (parent is JsonObject o) o.Remove(key!);
                    else parent.AsArray().RemoveAt(index);
                    changes.Add($"dropped {path}");
                    continue;
                case MutationKind.Replace:
                    // A placeholder now, the raw text when written: some values (1e400, a lone surrogate) do not survive a JsonNode.
                    var text = Replacements[mutation.Pick % Replacements.Length];
                    replacement = JsonValue.Create($"\u0001{raw.Count}\u0001");
                    raw.Add(text);
                    changes.Add($"{path} = {(text.Length > 40 ? text[..40] + "…" : text)}");
                    break;
                case MutationKind.Transplant:
                    var donor = values[mutation.Pick % values.Count].Node;
                    replacement = donor?.DeepClone();
                    changes.Add($"{path} = copy of {donor?.GetPath() ?? "null"}");
                    break;
                default:
                    replacement = new JsonArray(node?.DeepClone());
                    changes.Add($"{path} wrapped in an array");
                    break;
            }
            if (parent is JsonObject obj) obj[key!] = replacement;
            else parent.AsArray()[index] = replacement;
        }
        var written = root.ToJsonString();
        for (var i = 0; i < raw.Count; i++) written = written.Replace($"\"\\u0001{i}\\u0001\"", raw[i], StringComparison.Ordinal);
        return new MutatedPayload(name, written, changes);
    }

    /// <summary>Every value below the root with where it sits, depth first.</summary>
    private static IEnumerable<(JsonNode Parent, string? Key, int Index, JsonNode? Node)> Descendants(JsonNode root)
    {
        var stack = new Stack<JsonNode>([root]);
        while (stack.Count > 0)
        {
            var parent = stack.Pop();
            if (parent is JsonObject obj)
            {
                foreach (var (key, value) in obj.ToList())
                {
                    yield return (parent, key, -1, value);
                    if (value is JsonObject or JsonArray) stack.Push(value);
                }
            }
            else if (parent is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (parent, null, i, array[i]);
                    if (array[i] is JsonObject or JsonArray) stack.Push(array[i]!);
                }
            }
        }
    }

    public static Arbitrary<Mutation[]> Arbitrary() => Mutations().ToArbitrary();
}
