using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BugHunt.Core.Packs;
using BugHunt.Testing;
using Json.Schema;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BugHunt.Core.Tests;

/// <summary>The JSON Schemas an author's editor reads agree with the loader and accept every shipped pack.</summary>
public sealed class PackSchemaTests
{
    private static string Schemas => Path.Combine(TestEnvironment.RepositoryRoot(), "challenges", "schemas");

    // A schema registers itself under its $id once per process, so each is read once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Loaded = new();

    private static JsonSchema Load(string name) => Loaded.GetOrAdd(name, n => JsonSchema.FromText(File.ReadAllText(Path.Combine(Schemas, n))));

    public static TheoryData<string> ShippedFiles()
    {
        var data = new TheoryData<string>();
        var root = TestEnvironment.RepositoryRoot();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "challenges"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "tests", "fixtures"), "*.yaml", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_pack_file_names_its_schema_and_the_schema_accepts_it(string relative)
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot(), relative);
        var first = File.ReadLines(path).First();
        var name = Path.GetFileName(path) == PackLoader.ManifestFile ? "pack.schema.json" : "challenge.schema.json";
        Assert.StartsWith("# yaml-language-server: $schema=", first, StringComparison.Ordinal);
        var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, first["# yaml-language-server: $schema=".Length..].Trim()));
        Assert.Equal(Path.Combine(Schemas, name), referenced);

        var result = Load(name).Evaluate(ToJson(path), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void The_schemas_list_exactly_the_fields_the_loader_reads()
    {
        var pack = JsonNode.Parse(File.ReadAllText(Path.Combine(Schemas, "pack.schema.json")))!;
        var challenge = JsonNode.Parse(File.ReadAllText(Path.Combine(Schemas, "challenge.schema.json")))!;
        static string[] Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        static string[] Sorted(string[] fields) => fields.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Sorted(PackLoader.ManifestFields), Keys(pack["properties"]!));
        Assert.Equal(Sorted(PackLoader.ChallengeFields), Keys(challenge["properties"]!));
        Assert.Equal(Sorted(PackLoader.TemplateFields), Keys(pack["definitions"]!["template"]!["properties"]!));
        Assert.Equal(Sorted(PackLoader.TemplateLevelFields), Keys(pack["definitions"]!["template"]!["properties"]!["levels"]!["items"]!["properties"]!));
    }

    [Theory]
    [InlineData("level: 3", "levl: 3")]
    [InlineData("visibility: public", "visibility: secret")]
    [InlineData("time_seconds: 30", "time_seconds: lots")]
    [InlineData("  - id: scale\n", "  - id: scale\n    files: bugs/scale\n")]
    public void The_schema_refuses_what_the_loader_refuses(string find, string replace)
    {
        var path = Path.Combine(TestPacks.LabScreen, "causal-attention", "challenge.yaml");
        var scratch = Path.Combine(Directory.CreateTempSubdirectory("bughunt-schema-").FullName, "challenge.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(scratch, text.Replace(find, replace, StringComparison.Ordinal));

        Assert.False(Load("challenge.schema.json").Evaluate(ToJson(scratch)).IsValid);
        Directory.Delete(Path.GetDirectoryName(scratch)!, recursive: true);
    }

    /// <summary>YAML as the YAML language server sees it: plain scalars typed as YAML 1.2 core does.</summary>
    private static JsonElement ToJson(string path) => JsonSerializer.SerializeToElement(ToNode(path));

    private static JsonNode? ToNode(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var v } => Typed(v!),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Typed(string value) =>
        value is "true" or "false" ? JsonValue.Create(value == "true")
        : value is "null" or "~" or "" ? null
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
        : JsonValue.Create(value);
}
