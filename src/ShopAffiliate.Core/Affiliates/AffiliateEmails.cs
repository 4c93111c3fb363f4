namespace ShopAffiliate.Core.Affiliates;

/// <summary>
/// The texts of the affiliate side's emails. Each is written in English and then Danish in one message: the person
/// has chosen no language yet when most of these are sent (an applicant, a reset), and staff decide in theirs.
/// </summary>
public static class AffiliateEmails
{
    public static AffiliateEmail Received(string to, string program) => new(to,
        $"{program}: application received / ansøgning modtaget",
        $"""
        Thank you for applying to {program}'s affiliate program. We will write to you when your application has been reviewed.

        Tak for din ansøgning til {program}s affiliateprogram. Vi skriver til dig, når din ansøgning er behandlet.
        """);

    public static AffiliateEmail ApprovedWelcome(string to, string program, string link) => new(to,
        $"{program}: you are approved / du er godkendt",
        $"""
        Your application to {program}'s affiliate program is approved. Confirm your email and choose a password here:
        {link}

        Din ansøgning til {program}s affiliateprogram er godkendt. Bekræft din e-mail og vælg en adgangskode her:
        {link}
        """);

    public static AffiliateEmail ApprovedSignIn(string to, string program, string link) => new(to,
        $"{program}: you are approved / du er godkendt",
        $"""
        Your application to {program}'s affiliate program is approved. Sign in with your existing account; the program is in your portal's program list:
        {link}

        Din ansøgning til {program}s affiliateprogram er godkendt. Log ind med din eksisterende konto; programmet står på din liste over programmer:
        {link}
        """);

    public static AffiliateEmail Rejected(string to, string program, string reason) => new(to,
        $"{program}: your application / din ansøgning",
        $"""
        Thank you for applying to {program}'s affiliate program. We cannot approve your application. The merchant's reason:
        {reason}

        Tak for din ansøgning til {program}s affiliateprogram. Vi kan desværre ikke godkende den. Forhandlerens begrundelse:
        {reason}
        """);

    public static AffiliateEmail MagicLink(string to, string link, int minutes) => new(to,
        "Your sign-in link / Dit login-link",
        $"""
        Open this link to sign in to your affiliate portal. It works once, for {minutes} minutes:
        {link}
        If you did not ask for it, ignore this email.

        Åbn linket for at logge ind på din affiliateportal. Det virker én gang, i {minutes} minutter:
        {link}
        Har du ikke bedt om det, kan du se bort fra denne e-mail.
        """);

    public static AffiliateEmail PasswordReset(string to, string link) => new(to,
        "Choose a new password / Vælg en ny adgangskode",
        $"""
        Open this link to choose a new password for your affiliate portal:
        {link}
        If you did not ask for it, ignore this email: your password stays as it is.

        Åbn linket for at vælge en ny adgangskode til din affiliateportal:
        {link}
        Har du ikke bedt om det, kan du se bort fra denne e-mail: din adgangskode forbliver den samme.
        """);
}
