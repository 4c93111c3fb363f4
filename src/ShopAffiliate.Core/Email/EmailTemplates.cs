namespace ShopAffiliate.Core.Email;

public enum EmailKind
{
    ApplicationReceived,
    ApplicationApproved,
    ApplicationRejected,
    CommissionEarned,
    PayoutSent,
    TermsChanged,
    CommissionRateChanged,
    MonthlyStatement,
    EmailConfirmation,
    PasswordReset,
    MagicLink,
    Announcement,
    NewMessage,
    DisputeUpdated,
    CouponReplaced,
    AccountErased,

    /// <summary>To the program's owners and managers: an affiliate wrote in their message thread.</summary>
    StaffNewMessage,

    /// <summary>To a person invited to a program's staff: the single-use link that expires.</summary>
    StaffInvitation,
}

/// <summary>A subject and a plain-text body with <c>{{placeholder}}</c>s; blank lines separate paragraphs.</summary>
public sealed record EmailTemplate(string Subject, string Body);

/// <summary>
/// The built-in texts, English and Danish, and what each kind may use. Every kind can use <c>programName</c> and
/// <c>affiliateName</c>. Essential mail (decisions, money sent, terms, account mail) is sent to everyone;
/// the rest carries a one-click unsubscribe and is not sent to an address that used it.
/// </summary>
public static class EmailTemplates
{
    public static readonly IReadOnlyList<string> Cultures = ["en", "da"];

    private static readonly string[] Common = ["programName", "affiliateName"];

    public static IReadOnlyList<string> PlaceholdersOf(EmailKind kind) => [.. Common, .. (string[])(kind switch
    {
        EmailKind.ApplicationRejected => ["reason"],
        EmailKind.ApplicationApproved => ["portalUrl"],
        EmailKind.CommissionEarned => ["amount", "orderNumber"],
        EmailKind.PayoutSent => ["amount", "reference"],
        EmailKind.TermsChanged => ["termsVersion", "portalUrl"],
        EmailKind.CommissionRateChanged => ["oldRate", "newRate"],
        EmailKind.MonthlyStatement => ["month", "amount", "portalUrl"],
        EmailKind.EmailConfirmation or EmailKind.PasswordReset or EmailKind.MagicLink => ["link"],
        EmailKind.Announcement => ["subject", "body"],
        EmailKind.NewMessage => ["body", "portalUrl"],
        EmailKind.StaffNewMessage => ["senderName", "body", "adminUrl"],
        EmailKind.StaffInvitation => ["role", "link", "days"],
        EmailKind.DisputeUpdated => ["orderNumber", "status", "note", "portalUrl"],
        EmailKind.CouponReplaced => ["oldCode", "newCode", "reason", "portalUrl"],
        _ => [],
    })];

    public static bool IsEssential(EmailKind kind) =>
        kind is not (EmailKind.CommissionEarned or EmailKind.MonthlyStatement or EmailKind.Announcement);

    public static EmailTemplate Default(EmailKind kind, string culture) =>
        culture == "da" ? Danish(kind) : English(kind);

    private static EmailTemplate English(EmailKind kind) => kind switch
    {
        EmailKind.ApplicationReceived => new("We received your application to {{programName}}",
            "Hi {{affiliateName}},\n\nThank you for applying to the {{programName}} affiliate program. We review every application and will write to you when we have decided."),
        EmailKind.ApplicationApproved => new("Welcome to {{programName}}",
            "Hi {{affiliateName}},\n\nYour application to the {{programName}} affiliate program is approved. Sign in to get your links and materials:\n{{portalUrl}}"),
        EmailKind.ApplicationRejected => new("Your application to {{programName}}",
            "Hi {{affiliateName}},\n\nThank you for your interest in the {{programName}} affiliate program. We cannot approve your application.\n\nThe reason: {{reason}}"),
        EmailKind.CommissionEarned => new("You earned {{amount}} with {{programName}}",
            "Hi {{affiliateName}},\n\nOrder {{orderNumber}} earned you a commission of {{amount}}. It is pending until the hold period is over."),
        EmailKind.PayoutSent => new("{{programName}} paid you {{amount}}",
            "Hi {{affiliateName}},\n\nWe have paid you {{amount}} (payout {{reference}})."),
        EmailKind.TermsChanged => new("The {{programName}} terms have changed",
            "Hi {{affiliateName}},\n\nThe terms of the {{programName}} affiliate program have changed (version {{termsVersion}}). Please read and accept them when you next sign in:\n{{portalUrl}}"),
        EmailKind.CommissionRateChanged => new("Your commission rate with {{programName}} has changed",
            "Hi {{affiliateName}},\n\nYour commission rate changes from {{oldRate}} to {{newRate}}."),
        EmailKind.MonthlyStatement => new("Your {{programName}} statement for {{month}}",
            "Hi {{affiliateName}},\n\nYour statement for {{month}} is ready. Your balance at the end of the month: {{amount}}.\n\nSee the whole statement in the portal:\n{{portalUrl}}"),
        EmailKind.EmailConfirmation => new("Confirm your email address",
            "Hi {{affiliateName}},\n\nPlease confirm your email address for {{programName}}:\n{{link}}\n\nIf you did not sign up, ignore this email."),
        EmailKind.PasswordReset => new("Reset your password",
            "Hi {{affiliateName}},\n\nSomeone asked to reset your {{programName}} password. Choose a new one here:\n{{link}}\n\nIf it was not you, ignore this email; your password stays as it is."),
        EmailKind.MagicLink => new("Your sign-in link for {{programName}}",
            "Hi {{affiliateName}},\n\nSign in to {{programName}} with this link (it works once and expires soon):\n{{link}}"),
        EmailKind.Announcement => new("{{subject}}", "Hi {{affiliateName}},\n\n{{body}}"),
        EmailKind.NewMessage => new("New message from {{programName}}",
            "Hi {{affiliateName}},\n\n{{programName}} wrote to you:\n\n{{body}}\n\nReply in the portal: {{portalUrl}}"),
        EmailKind.StaffNewMessage => new("{{senderName}} wrote to {{programName}}",
            "Hi,\n\n{{senderName}}, an affiliate of {{programName}}, wrote:\n\n{{body}}\n\nReply in the admin: {{adminUrl}}"),
        EmailKind.StaffInvitation => new("You are invited to the {{programName}} affiliate program's admin",
            "Hi,\n\nYou are invited to help run the {{programName}} affiliate program as {{role}}. Accept the invitation here (the link works once and for {{days}} days):\n{{link}}\n\nIf you already have an account, you sign in with your password; if not, you choose one."),
        EmailKind.DisputeUpdated => new("Your claim for order {{orderNumber}}: {{status}}",
            "Hi {{affiliateName}},\n\nYour claim for order {{orderNumber}} is now {{status}}.\n\n{{note}}\n\n{{portalUrl}}"),
        EmailKind.CouponReplaced => new("Your coupon code {{oldCode}} is replaced by {{newCode}}",
            "Hi {{affiliateName}},\n\nWe have taken your coupon code {{oldCode}} out of use in our shop. The reason: {{reason}}\n\nYour new code is {{newCode}}, with the same discount. Orders with it are credited to you as before. Please replace the old code wherever you shared it.\n\nYour codes and their share links: {{portalUrl}}"),
        EmailKind.AccountErased => new("Your data at {{programName}} is erased",
            "Hi {{affiliateName}},\n\nAs you asked, we have erased your personal data in the {{programName}} affiliate program and closed your access to it. Records of commissions and payouts stay, without your name, as bookkeeping law requires.\n\nThis is the last email we send you about this program."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static EmailTemplate Danish(EmailKind kind) => kind switch
    {
        EmailKind.ApplicationReceived => new("Vi har modtaget din ansøgning til {{programName}}",
            "Hej {{affiliateName}}\n\nTak for din ansøgning til affiliateprogrammet hos {{programName}}. Vi gennemgår alle ansøgninger og skriver til dig, når vi har besluttet os."),
        EmailKind.ApplicationApproved => new("Velkommen til {{programName}}",
            "Hej {{affiliateName}}\n\nDin ansøgning til affiliateprogrammet hos {{programName}} er godkendt. Log ind og hent dine links og markedsføringsmaterialer:\n{{portalUrl}}"),
        EmailKind.ApplicationRejected => new("Din ansøgning til {{programName}}",
            "Hej {{affiliateName}}\n\nTak for din interesse for affiliateprogrammet hos {{programName}}. Vi kan desværre ikke godkende din ansøgning.\n\nBegrundelse: {{reason}}"),
        EmailKind.CommissionEarned => new("Du har tjent {{amount}} hos {{programName}}",
            "Hej {{affiliateName}}\n\nOrdre {{orderNumber}} har givet dig {{amount}} i provision. Den afventer, til holdeperioden er slut."),
        EmailKind.PayoutSent => new("{{programName}} har udbetalt {{amount}} til dig",
            "Hej {{affiliateName}}\n\nVi har udbetalt {{amount}} til dig (udbetaling {{reference}})."),
        EmailKind.TermsChanged => new("Vilkårene hos {{programName}} er ændret",
            "Hej {{affiliateName}}\n\nVilkårene for affiliateprogrammet hos {{programName}} er ændret (version {{termsVersion}}). Læs og accepter dem, næste gang du logger ind:\n{{portalUrl}}"),
        EmailKind.CommissionRateChanged => new("Din provision hos {{programName}} er ændret",
            "Hej {{affiliateName}}\n\nDin provisionssats ændres fra {{oldRate}} til {{newRate}}."),
        EmailKind.MonthlyStatement => new("Din opgørelse fra {{programName}} for {{month}}",
            "Hej {{affiliateName}}\n\nDin opgørelse for {{month}} er klar. Din saldo ved månedens udgang: {{amount}}.\n\nSe hele opgørelsen i portalen:\n{{portalUrl}}"),
        EmailKind.EmailConfirmation => new("Bekræft din e-mailadresse",
            "Hej {{affiliateName}}\n\nBekræft din e-mailadresse hos {{programName}}:\n{{link}}\n\nHar du ikke oprettet en konto, kan du se bort fra denne e-mail."),
        EmailKind.PasswordReset => new("Nulstil din adgangskode",
            "Hej {{affiliateName}}\n\nNogen har bedt om at nulstille din adgangskode hos {{programName}}. Vælg en ny her:\n{{link}}\n\nVar det ikke dig, kan du se bort fra denne e-mail; din adgangskode er uændret."),
        EmailKind.MagicLink => new("Dit login-link til {{programName}}",
            "Hej {{affiliateName}}\n\nLog ind hos {{programName}} med dette link (det virker én gang og udløber snart):\n{{link}}"),
        EmailKind.Announcement => new("{{subject}}", "Hej {{affiliateName}}\n\n{{body}}"),
        EmailKind.NewMessage => new("Ny besked fra {{programName}}",
            "Hej {{affiliateName}}\n\n{{programName}} har skrevet til dig:\n\n{{body}}\n\nSvar i portalen: {{portalUrl}}"),
        EmailKind.StaffNewMessage => new("{{senderName}} har skrevet til {{programName}}",
            "Hej\n\n{{senderName}}, der er affiliate hos {{programName}}, har skrevet:\n\n{{body}}\n\nSvar i administrationen: {{adminUrl}}"),
        EmailKind.StaffInvitation => new("Du er inviteret til administrationen af affiliateprogrammet hos {{programName}}",
            "Hej\n\nDu er inviteret til at være med til at drive affiliateprogrammet hos {{programName}} som {{role}}. Tag imod invitationen her (linket virker én gang og i {{days}} dage):\n{{link}}\n\nHar du allerede en konto, logger du ind med din adgangskode; ellers vælger du en."),
        EmailKind.DisputeUpdated => new("Din indsigelse for ordre {{orderNumber}}: {{status}}",
            "Hej {{affiliateName}}\n\nDin indsigelse for ordre {{orderNumber}} er nu: {{status}}.\n\n{{note}}\n\n{{portalUrl}}"),
        EmailKind.CouponReplaced => new("Din rabatkode {{oldCode}} er erstattet af {{newCode}}",
            "Hej {{affiliateName}}\n\nVi har lukket din rabatkode {{oldCode}} i vores webshop. Begrundelse: {{reason}}\n\nDin nye rabatkode er {{newCode}} med samme rabat. Ordrer med den giver dig provision som før. Udskift den gamle kode alle steder, hvor du har delt den.\n\nDine rabatkoder og deres delingslinks: {{portalUrl}}"),
        EmailKind.AccountErased => new("Dine data hos {{programName}} er slettet",
            "Hej {{affiliateName}}\n\nSom du bad om, har vi slettet dine personoplysninger i affiliateprogrammet hos {{programName}} og lukket din adgang. Oplysninger om provision og udbetalinger gemmes uden dit navn, som bogføringsloven kræver.\n\nDette er den sidste e-mail, du får fra os om dette program."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
