using System.Buffers.Binary;
using System.Text;
using ShopAffiliate.Core.Errors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ShopAffiliate.Core.Creatives;

/// <summary>What an upload turned out to be, read from its bytes.</summary>
public sealed record InspectedImage(ImageFormatKind Format, int Width, int Height, int Frames);

/// <summary>
/// Decides what an upload is from its bytes alone, never from its name or declared type: the format from its
/// signature, the declared size from its header (so a decompression bomb is refused before anything is decoded), the
/// structure walked to its end marker (a truncated file is refused), then one full decode within the pixel limit (a
/// file that only looks like an image is refused). Anything not PNG, JPEG, GIF or WebP (SVG, HTML, scripts) is refused.
/// </summary>
public static class UploadInspector
{
    private const string Field = "file";

    // Only the four formats we accept: ImageSharp's default configuration would also read BMP, TIFF, TGA and PBM.
    private static readonly Configuration Formats = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(), new WebpConfigurationModule());

    public static InspectedImage Inspect(byte[] bytes, CreativeOptions limits)
    {
        if (bytes.Length == 0) throw Refused("The file is empty.");
        if (bytes.Length > limits.MaxBytes)
            throw Refused($"The file is {Size(bytes.Length)}; uploads are at most {Size(limits.MaxBytes)}.");

        var kind = Image.DetectFormat(Formats, bytes) switch
        {
            PngFormat => ImageFormatKind.Png,
            JpegFormat => ImageFormatKind.Jpeg,
            GifFormat => ImageFormatKind.Gif,
            WebpFormat => ImageFormatKind.Webp,
            _ => throw Refused($"The file is {Describe(bytes)}, not an image: banners must be PNG, JPEG, GIF or WebP (whatever the file's name says)."),
        };
        IImageInfo? info;
        try
        {
            info = Image.Identify(Formats, bytes, out _);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or ArgumentException or IndexOutOfRangeException)
        {
            info = null;
        }
        if (info is null || info.Width <= 0 || info.Height <= 0) throw Damaged(kind);
        if (info.Width > limits.MaxWidth || info.Height > limits.MaxHeight)
        {
            throw Refused($"The {Name(kind)} is {info.Width} x {info.Height} pixels; images are at most {limits.MaxWidth} x {limits.MaxHeight}.");
        }

        var frames = kind switch
        {
            ImageFormatKind.Png => PngComplete(bytes) ? 1 : -1,
            ImageFormatKind.Jpeg => JpegComplete(bytes) ? 1 : -1,
            ImageFormatKind.Gif => GifFrames(bytes),
            _ => WebpFrames(bytes),
        };
        if (frames < 0) throw Refused($"The {Name(kind)} is cut short (its end is missing): upload the whole file again.");
        if (frames > limits.MaxFrames) throw Refused($"The {Name(kind)} has {frames} frames; animations have at most {limits.MaxFrames}.");
        var pixels = (long)info.Width * info.Height * Math.Max(1, frames);
        if (pixels > limits.MaxPixels)
        {
            throw Refused($"The {Name(kind)} would take {pixels:N0} pixels to show ({info.Width} x {info.Height}" +
                          (frames > 1 ? $" x {frames} frames" : "") + $"); the limit is {limits.MaxPixels:N0}.");
        }

        try
        {
            using var decoded = Image.Load<Rgba32>(Formats, bytes);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw Damaged(kind);
        }
        return new InspectedImage(kind, info.Width, info.Height, Math.Max(1, frames));
    }

    /// <summary>Chunks from the signature to IEND, each inside the file.</summary>
    private static bool PngComplete(ReadOnlySpan<byte> b)
    {
        var pos = 8;
        while (pos + 12 <= b.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(b[pos..]);
            if (length > int.MaxValue || pos + 12 + (long)length > b.Length) return false;
            if (b.Slice(pos + 4, 4).SequenceEqual("IEND"u8)) return true;
            pos += 12 + (int)length;
        }
        return false;
    }

    /// <summary>The end-of-image marker near the end (some tools pad a few bytes after it).</summary>
    private static bool JpegComplete(ReadOnlySpan<byte> b) => b[Math.Max(0, b.Length - 64)..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;

    /// <summary>The blocks of a GIF up to its trailer: the number of frames, or -1 when the file ends before it.</summary>
    private static int GifFrames(ReadOnlySpan<byte> b)
    {
        if (b.Length < 13) return -1;
        var pos = 13 + ColorTable(b[10]);
        var frames = 0;
        while (pos < b.Length)
        {
            switch (b[pos++])
            {
                case 0x3B:
                    return frames;
                case 0x21: // extension: label, then data sub-blocks
                    if (++pos > b.Length || (pos = SkipSubBlocks(b, pos)) < 0) return -1;
                    break;
                case 0x2C: // image descriptor (9 bytes), optional local colour table, LZW code size, data sub-blocks
                    if (pos + 9 > b.Length) return -1;
                    pos += 9 + ColorTable(b[pos + 8]) + 1;
                    if (pos > b.Length || (pos = SkipSubBlocks(b, pos)) < 0) return -1;
                    frames++;
                    break;
                default:
                    return -1;
            }
        }
        return -1;

        static int ColorTable(byte packed) => (packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0;
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> b, int pos)
    {
        while (pos < b.Length)
        {
            var size = b[pos++];
            if (size == 0) return pos;
            pos += size;
        }
        return -1;
    }

    /// <summary>The RIFF chunks of a WebP: one frame, or one per ANMF chunk of an animation; -1 when cut short.</summary>
    private static int WebpFrames(ReadOnlySpan<byte> b)
    {
        if (b.Length < 12 || 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[4..]) > b.Length) return -1;
        var pos = 12;
        var frames = 0;
        while (pos + 8 <= b.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(b[(pos + 4)..]);
            if (pos + 8L + size > b.Length) return -1;
            if (b.Slice(pos, 4).SequenceEqual("ANMF"u8)) frames++;
            pos += 8 + (int)size + (int)(size & 1);
        }
        return Math.Max(1, frames);
    }

    /// <summary>Words for what the bytes are when they are not an image, so the merchant knows what they sent.</summary>
    private static string Describe(byte[] bytes)
    {
        var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (head.Contains("<svg", StringComparison.Ordinal)) return "an SVG drawing (SVG can carry scripts, so it is never accepted)";
        if (head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.Contains("<html", StringComparison.Ordinal) || head.Contains("<script", StringComparison.Ordinal))
            return "an HTML page";
        if (head.StartsWith("<?xml", StringComparison.Ordinal)) return "an XML document";
        return "of a kind we do not accept";
    }

    private static string Name(ImageFormatKind kind) => kind switch
    {
        ImageFormatKind.Png => "PNG",
        ImageFormatKind.Jpeg => "JPEG",
        ImageFormatKind.Gif => "GIF",
        _ => "WebP",
    };

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";

    private static ValidationFailedException Damaged(ImageFormatKind kind) =>
        Refused($"The file starts like a {Name(kind)} but cannot be read as one: it is damaged, or not really an image.");

    private static ValidationFailedException Refused(string message) => ValidationFailedException.For(Field, message);
}
