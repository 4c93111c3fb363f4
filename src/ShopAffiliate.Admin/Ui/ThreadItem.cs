using ShopAffiliate.Core.Disputes;
using ShopAffiliate.Core.Messages;

namespace ShopAffiliate.Admin.Ui;

/// <summary>
/// One entry of a thread as <c>_Thread</c> shows it, for a dispute's steps and an affiliate's messages alike.
/// <see cref="Step"/> is the SharedText key of a step that is more than a message ("Thread.Accepted"), else null.
/// </summary>
public sealed record ThreadItem(DisputeAuthor Author, string Name, string Text, DateTime At, bool Unread = false, string? Step = null)
{
    public static ThreadItem Of(DisputeEntry e) =>
        new(e.Author, e.ActorName, e.Text, e.At, Step: e.Kind == DisputeEntryKind.Message ? null : "Thread." + e.Kind);

    /// <summary>A message; unread when the reader's side has not read the other side's message yet.</summary>
    public static ThreadItem Of(AffiliateMessage m, DisputeAuthor reader) =>
        new(m.Author, m.ActorName, m.Text, m.At, Unread: m.Author != reader && m.ReadAt is null);
}

/// <summary>
/// A thread and whose side is reading it (their own entries sit on the right). <see cref="StaffName"/>, when set, is
/// shown for staff entries instead of the staff member's email: affiliates read the program's name.
/// </summary>
public sealed record ThreadView(IReadOnlyList<ThreadItem> Items, DisputeAuthor Reader, string EmptyText, string? StaffName = null);
