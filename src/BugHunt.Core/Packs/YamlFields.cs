using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BugHunt.Core.Packs;

/// <summary>
/// Reads one YAML mapping field by field, so every mistake is reported with the file, the field's
/// path and what was expected, and fields nobody asked for are rejected instead of ignored.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _node;

    private YamlFields(YamlMappingNode node, string file, string path)
    {
        _node = node;
        File = file;
        Path = path;
    }

    public string File { get; }

    public string Path { get; }

    public static YamlFields Load(string fullPath, string displayPath)
    {
        if (!System.IO.File.Exists(fullPath))
        {
            throw new PackFormatException(displayPath, "", "file is missing");
        }
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(fullPath);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new PackFormatException(displayPath, "", $"is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some unterminated constructs (e.g. an open flow sequence) this way.
            throw new PackFormatException(displayPath, "", $"is not valid YAML: {e.Message} (look for an unclosed [ or {{)");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PackFormatException(displayPath, "", "expected one YAML document whose top level is a mapping of fields");
        }
        return new YamlFields(root, displayPath, "");
    }

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw Error(key, "is required (a text value)");

    public string? OptionalString(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }
        if (node is not YamlScalarNode { Value: { } value } || value.Length == 0)
        {
            throw Error(key, "expected a non-empty text value");
        }
        return value;
    }

    public string RequiredId(string key)
    {
        var value = RequiredString(key);
        if (!PackIds.IsValid(value))
        {
            throw Error(key, $"'{value}' is not a valid id: use lowercase letters, digits and dashes, starting with a letter");
        }
        return value;
    }

    public int RequiredInt(string key, int min, int max) =>
        OptionalInt(key, min, max) ?? throw Error(key, $"is required (a whole number from {min} to {max})");

    public int? OptionalInt(string key, int min, int max)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(key, $"expected a whole number from {min} to {max}, got '{text}'");
        }
        return value;
    }

    public double? OptionalDouble(string key, double min = double.MinValue)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min)
        {
            throw Error(key, $"expected a number{(min > double.MinValue ? $" of at least {min.ToString(CultureInfo.InvariantCulture)}" : "")}, got '{text}'");
        }
        return value;
    }

    public bool? OptionalBool(string key)
    {
        var text = OptionalString(key);
        return text switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw Error(key, $"expected true or false, got '{text}'"),
        };
    }

    public IReadOnlyList<string> StringList(string key, bool required)
    {
        var node = Get(key);
        if (node is null)
        {
            return required ? throw Error(key, "is required (a list of text values)") : [];
        }
        if (node is not YamlSequenceNode sequence)
        {
            throw Error(key, "expected a list, e.g. [a, b]");
        }
        return sequence.Children.Select((c, i) => c is YamlScalarNode { Value: { Length: > 0 } v }
            ? v
            : throw Error($"{key}[{i}]", "expected a non-empty text value")).ToList();
    }

    /// <summary>A text value or a list of them (<c>forbid: a</c> or <c>forbid: [a, b]</c>); null when absent.</summary>
    public IReadOnlyList<string>? OneOrMoreStrings(string key)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode:
                return [OptionalString(key)!];
            case YamlSequenceNode { Children.Count: 0 }:
                throw Error(key, "expected a text value or a non-empty list of them");
            case YamlSequenceNode:
                return StringList(key, required: true);
            default:
                throw Error(key, "expected a text value or a list of them, e.g. [a, b]");
        }
    }

    public bool Has(string key) => Get(key) is not null;

    public IReadOnlyList<YamlFields> MappingList(string key, bool required)
    {
        var node = Get(key);
        if (node is null)
        {
            return required ? throw Error(key, "is required (a list of entries)") : [];
        }
        if (node is not YamlSequenceNode sequence)
        {
            throw Error(key, "expected a list of entries");
        }
        return sequence.Children.Select((c, i) => c is YamlMappingNode m
            ? new YamlFields(m, File, Join($"{key}[{i}]"))
            : throw Error($"{key}[{i}]", "expected a mapping of fields")).ToList();
    }

    public YamlFields? Mapping(string key)
    {
        var node = Get(key);
        return node switch
        {
            null => null,
            YamlMappingNode m => new YamlFields(m, File, Join(key)),
            _ => throw Error(key, "expected a mapping of fields"),
        };
    }

    /// <summary>
    /// Rejects fields outside <paramref name="known"/> before anything else is read, so a typo is
    /// reported as the unknown field it is rather than as a missing one, and never silently means "default".
    /// </summary>
    public YamlFields AllowOnly(params string[] known)
    {
        foreach (var key in _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""))
        {
            if (!known.Contains(key))
            {
                throw Error(key, $"unknown field; expected one of: {string.Join(", ", known)}");
            }
        }
        return this;
    }

    public PackFormatException Error(string key, string problem) => new(File, Join(key), problem);

    private YamlNode? Get(string key)
    {
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    private string Join(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}
