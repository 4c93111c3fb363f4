namespace ShopAffiliate.Core.Inbox;

/// <summary>
/// Marks an exception that says a delivery's body cannot be read as it is (a platform's payload error). Trying the same
/// body again cannot help, so the inbox parks such a delivery as Failed at once with the message as its reason, instead
/// of retrying it for hours (ADR 0025).
/// </summary>
public interface IUnreadablePayload;
