namespace ShopAffiliate.Core.Errors;

/// <summary>Base of the errors a caller can act on; the host maps each to a ProblemDetails status.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Input that breaks a rule (400). <see cref="Errors"/> maps a field name to its messages.</summary>
public sealed class ValidationFailedException(string message, IDictionary<string, string[]>? errors = null)
    : DomainException(message)
{
    public IDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    public static ValidationFailedException For(string field, string message) =>
        new(message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The thing asked for does not exist in this workspace (404).</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>The request clashes with current state, e.g. a duplicate code (409).</summary>
public sealed class ConflictException(string message) : DomainException(message);
