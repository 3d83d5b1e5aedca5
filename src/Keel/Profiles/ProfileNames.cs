namespace Keel.Profiles;

/// <summary>
/// What a profile name may be: it is a configuration key (<c>Keel:Retry:{profile}</c>), so a <c>:</c> or white space
/// in it could never be configured. Letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 100 characters.
/// </summary>
internal static class ProfileNames
{
    public const int MaxLength = 100;

    public static bool IsValid(string? profile)
    {
        if (string.IsNullOrEmpty(profile) || profile.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in profile)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid name.</exception>
    public static void ThrowIfInvalid(string profile, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(profile))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(profile, parameterName);
        if (!IsValid(profile))
        {
            throw new ArgumentException($"A profile name is a configuration key: 1 to {MaxLength} ASCII letters, digits, '-', '_' or '.', but was '{profile}'.", parameterName);
        }
    }
}
