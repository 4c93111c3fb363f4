using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// HTML encoding that leaves letters of every script as they are ("ø", "–") and still encodes what HTML needs
/// (<c>&lt; &gt; &amp; "</c>): the pages and the widgets use it, so Danish reads as Danish in the page source too.
/// </summary>
public static class UiEncoding
{
    public static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
}
