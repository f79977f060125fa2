using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using BugHunt.Core.Packs;

namespace BugHunt.Core.Authoring;

/// <summary>Why an uploaded archive was refused: <see cref="Entry"/> is the archive entry at fault ("" for the archive itself).</summary>
public sealed class PackArchiveException(string entry, string problem) : Exception(entry.Length == 0 ? problem : $"{entry}: {problem}")
{
    public string Entry { get; } = entry;

    public string Problem { get; } = problem;

    /// <summary>The archive itself is over the size limit (413 rather than 400).</summary>
    public bool TooLarge { get; init; }
}

/// <summary>
/// Reads an uploaded pack (.tar.gz or .zip) into memory, entry by entry, as untrusted input: only
/// plain files and folders of the pack layout, by relative paths without "..", within limits
/// counted on the bytes actually unpacked (never on what a header claims). Nothing is written to
/// disk, so no entry can land outside the pack whatever its name.
/// </summary>
public static class PackArchive
{
    public const int MaxEntries = 2000;
    public const long MaxUnpackedBytes = 50L * 1024 * 1024;
    public const long MaxArchiveBytes = 50L * 1024 * 1024;

    /// <summary>The pack's text files by relative path ('/' separators), with one top-level folder, if every entry has it, removed.</summary>
    public static async Task<SortedDictionary<string, string>> ReadAsync(Stream archive, CancellationToken ct)
    {
        var buffered = new MemoryStream();
        var chunk = new byte[81920];
        int got;
        while ((got = await archive.ReadAsync(chunk, ct)) > 0)
        {
            if (buffered.Length + got > MaxArchiveBytes)
            {
                throw new PackArchiveException("", $"is larger than {MaxArchiveBytes / (1024 * 1024)} MiB") { TooLarge = true };
            }
            buffered.Write(chunk, 0, got);
        }
        return Read(buffered);
    }

    private static SortedDictionary<string, string> Read(MemoryStream buffered)
    {
        if (buffered.Length == 0)
        {
            throw new PackArchiveException("", "the body is empty: send the pack as a .tar.gz or .zip archive");
        }
        buffered.Position = 0;
        var head = new byte[4];
        var read = buffered.Read(head, 0, 4);
        buffered.Position = 0;
        var entries = read >= 2 && head[0] == 0x1f && head[1] == 0x8b ? ReadTar(buffered)
            : read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4 ? ReadZip(buffered)
            : throw new PackArchiveException("", "is neither a .tar.gz (gzip) nor a .zip archive");
        return WithoutTopFolder(entries);
    }

    private static List<(string Raw, string Name, string? Text)> ReadTar(Stream stream)
    {
        var entries = new List<(string, string, string?)>();
        var budget = new Budget();
        try
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    // Metadata for the whole archive (git archive writes the commit id there), not a file.
                    continue;
                }
                budget.Count(entry.Name);
                var name = Normalize(entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        entries.Add((entry.Name, name.TrimEnd('/'), null));
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        entries.Add((entry.Name, name, entry.DataStream is null ? "" : budget.Text(entry.Name, entry.DataStream)));
                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        throw new PackArchiveException(entry.Name, $"is a link (to '{entry.LinkName}'); a pack holds plain files and folders only");
                    case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                        throw new PackArchiveException(entry.Name, $"is a {entry.EntryType switch { TarEntryType.Fifo => "named pipe", _ => "device" }}; a pack holds plain files and folders only");
                    default:
                        throw new PackArchiveException(entry.Name, $"is a tar entry of type {entry.EntryType}; a pack holds plain files and folders only");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new PackArchiveException("", $"is not a readable .tar.gz archive: {e.Message}");
        }
        return entries;
    }

    private static List<(string Raw, string Name, string? Text)> ReadZip(Stream stream)
    {
        var entries = new List<(string, string, string?)>();
        var budget = new Budget();
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                budget.Count(entry.FullName);
                var name = Normalize(entry.FullName);
                // The upper 16 bits of a zip entry's external attributes are its Unix mode.
                var type = (entry.ExternalAttributes >> 16) & 0xF000;
                if (type is 0xA000)
                {
                    throw new PackArchiveException(entry.FullName, "is a link; a pack holds plain files and folders only");
                }
                if (type is not (0 or 0x8000 or 0x4000))
                {
                    throw new PackArchiveException(entry.FullName, "is a device or pipe; a pack holds plain files and folders only");
                }
                if (entry.FullName.EndsWith('/'))
                {
                    entries.Add((entry.FullName, name.TrimEnd('/'), null));
                    continue;
                }
                using var data = entry.Open();
                entries.Add((entry.FullName, name, budget.Text(entry.FullName, data)));
            }
        }
        catch (InvalidDataException e)
        {
            throw new PackArchiveException("", $"is not a readable .zip archive: {e.Message}");
        }
        return entries;
    }

    /// <summary>A relative path with '/' separators; absolute paths, "..", backslashes and control characters are refused.</summary>
    private static string Normalize(string raw)
    {
        if (raw.Length == 0 || raw.Length > 300)
        {
            throw new PackArchiveException(raw, "has an empty or overlong name");
        }
        if (raw.StartsWith('/') || raw.Length >= 2 && raw[1] == ':')
        {
            throw new PackArchiveException(raw, "is an absolute path; entries must be relative to the pack folder");
        }
        if (raw.Contains('\\') || raw.Any(char.IsControl))
        {
            throw new PackArchiveException(raw, "has a backslash or control character in its name");
        }
        var name = raw;
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }
        if (name.Split('/').Any(p => p == ".."))
        {
            throw new PackArchiveException(raw, "climbs out of the pack folder with '..'");
        }
        return name;
    }

    private static SortedDictionary<string, string> WithoutTopFolder(List<(string Raw, string Name, string? Text)> entries)
    {
        entries.RemoveAll(e => e.Name is "" or ".");
        var files = entries.Where(e => e.Text is not null).ToList();
        if (files.Count == 0)
        {
            throw new PackArchiveException("", $"has no files; expected a pack ({PackLayout.Description})");
        }
        // `tar czf pack.tar.gz my-pack/` puts everything under one folder; the pack is that folder.
        var top = files[0].Name.Split('/')[0];
        var strip = !files.Any(f => f.Name == PackLoader.ManifestFile)
            && files.Any(f => f.Name == $"{top}/{PackLoader.ManifestFile}")
            && entries.All(e => e.Name == top || e.Name.StartsWith(top + "/", StringComparison.Ordinal));
        if (!strip && !files.Any(f => f.Name == PackLoader.ManifestFile))
        {
            throw new PackArchiveException("", $"has no {PackLoader.ManifestFile} at its top (or in its one top-level folder)");
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (raw, name, text) in entries)
        {
            var relative = strip ? (name == top ? "" : name[(top.Length + 1)..]) : name;
            if (relative.Length == 0)
            {
                continue;
            }
            if (text is null)
            {
                if (!PackLayout.IsFolder(relative))
                {
                    throw new PackArchiveException(raw, $"is a folder outside the pack layout ({PackLayout.Description})");
                }
                continue;
            }
            if (PackLayout.Refusal(relative) is { } refusal)
            {
                throw new PackArchiveException(raw, refusal);
            }
            if (!result.TryAdd(relative, text))
            {
                throw new PackArchiveException(raw, "appears twice in the archive");
            }
        }
        return result;
    }

    /// <summary>Counts entries and unpacked bytes across the whole archive.</summary>
    private sealed class Budget
    {
        private int _entries;
        private long _bytes;

        public void Count(string entry)
        {
            if (++_entries > MaxEntries)
            {
                throw new PackArchiveException(entry, $"is entry {_entries}: an archive may hold at most {MaxEntries} entries");
            }
        }

        public string Text(string entry, Stream data)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = data.Read(chunk, 0, chunk.Length)) > 0)
            {
                _bytes += n;
                if (_bytes > MaxUnpackedBytes)
                {
                    throw new PackArchiveException(entry, $"takes the archive past {MaxUnpackedBytes / (1024 * 1024)} MiB unpacked");
                }
                buffer.Write(chunk, 0, n);
            }
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (DecoderFallbackException)
            {
                throw new PackArchiveException(entry, "is not UTF-8 text; a pack holds text files only");
            }
        }
    }
}
