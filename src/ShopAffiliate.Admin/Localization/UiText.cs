namespace ShopAffiliate.Admin;

/// <summary>
/// Resource classes, one per part of the UI, each with <c>Resources/&lt;Name&gt;.resx</c> (English) and
/// <c>&lt;Name&gt;.da.resx</c> (Danish). Split by owner so the admin and the portal never edit the same file.
/// Views use <c>@inject IStringLocalizer&lt;AdminText&gt; T</c>: <c>IViewLocalizer</c> looks resources up under the
/// host's assembly name, which misses a Razor Class Library's own (ADR 0020).
/// </summary>
public sealed class SharedText;

/// <summary>Strings of the merchant admin's pages (<c>/admin</c>).</summary>
public sealed class AdminText;

/// <summary>Strings of the affiliate portal and the public program page (<c>/portal</c>, <c>/p/{slug}</c>).</summary>
public sealed class PortalText;
