namespace System.Runtime.CompilerServices;

/// <summary>Lets records compile for netstandard2.0, which does not define this marker type.</summary>
internal static class IsExternalInit;
