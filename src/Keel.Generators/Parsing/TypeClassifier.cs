using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Parsing;

/// <summary>
/// What Keel can do with a parameter's type: check it as a tensor, key it with a built-in descriptor, or key it with
/// a descriptor the generator writes (enums, records and classes of keyable properties). The rules mirror the
/// engine's own (<c>ValueDescriptor.For</c>, the validation's tensor inputs), so that what compiles also builds.
/// </summary>
internal static class TypeClassifier
{
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private const int MaxDepth = 4;

    public static string Display(ITypeSymbol type) => type.ToDisplayString(FullyQualified);

    /// <summary>Arrays (any rank up to 5), <c>Memory&lt;T&gt;</c>, <c>ReadOnlyMemory&lt;T&gt;</c> and <c>Tensor&lt;T&gt;</c> of the checked numeric types.</summary>
    public static bool IsTensorLike(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.Rank <= 5 && IsTensorElement(array.ElementType),
        INamedTypeSymbol { TypeArguments.Length: 1 } named => IsTensorContainer(named) && IsTensorElement(named.TypeArguments[0]),
        _ => false,
    };

    /// <summary>ONNX Runtime's <c>DenseTensor&lt;T&gt;</c> of a checked numeric type, which Keel.Onnx lets the tensor rules check.</summary>
    public static bool IsDenseTensor(ITypeSymbol type, Compilation compilation) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } dense
        && dense.OriginalDefinition.ToDisplayString() == "Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<T>"
        && IsTensorElement(dense.TypeArguments[0])
        && compilation.GetTypeByMetadataName(KnownNames.OnnxInputRules) is not null;

    /// <summary>The expression of the descriptor the engine resolves itself, or of Keel.Onnx's; <see langword="null"/> when there is none.</summary>
    public static string? BuiltInDescriptor(ITypeSymbol type, Compilation compilation, out bool resolvedByEngine)
    {
        resolvedByEngine = true;
        var display = Display(type);
        if (type.SpecialType == SpecialType.System_String || IsKeyScalar(type)
            || type is IArrayTypeSymbol { ElementType: var element } && IsKeyScalar(element)
            || type is INamedTypeSymbol { TypeArguments.Length: 1 } named && IsTensorContainer(named) && IsKeyScalar(named.TypeArguments[0]))
        {
            return $"global::Keel.ValueDescriptor.For<{display}>()!";
        }

        resolvedByEngine = false;
        if (compilation.GetTypeByMetadataName(KnownNames.OnnxDescriptors) is null)
        {
            return null;
        }

        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } dense && dense.OriginalDefinition.ToDisplayString() == "Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<T>"
            && IsKeyScalar(dense.TypeArguments[0]))
        {
            return $"global::Keel.Onnx.OnnxDescriptors.DenseTensor<{Display(dense.TypeArguments[0])}>()";
        }

        return type.ToDisplayString() == "Microsoft.ML.OnnxRuntime.OrtValue" ? "global::Keel.Onnx.OnnxDescriptors.OrtValue()" : null;
    }

    /// <summary>
    /// The statements of a key writer for an enum, record or class whose public properties are all keyable, written in
    /// declaration order; <see langword="null"/> with the reason when the type cannot be keyed.
    /// </summary>
    public static List<string>? KeyWriter(ITypeSymbol type, out string? reason)
    {
        var lines = new List<string>();
        reason = null;
        if (type.TypeKind == Microsoft.CodeAnalysis.TypeKind.Enum)
        {
            lines.Add("writer.Write((long)value);");
            return lines;
        }

        return WriteMembers(type, "value", lines, depth: 0, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), ref reason) ? lines : null;
    }

    /// <summary>The public instance properties of <paramref name="type"/> and its base types, the bases' first.</summary>
    public static IEnumerable<IPropertySymbol> KeyedProperties(ITypeSymbol type)
    {
        var chain = new List<ITypeSymbol>();
        for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            chain.Insert(0, current);
        }

        var names = new HashSet<string>();
        return chain
            .SelectMany(static t => t.GetMembers().OfType<IPropertySymbol>())
            .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && p.GetMethod is { DeclaredAccessibility: Accessibility.Public }
                && !(p.Name == "EqualityContract" && p.IsImplicitlyDeclared) && names.Add(p.Name))
            .ToList();
    }

    private static bool WriteMembers(ITypeSymbol type, string value, List<string> lines, int depth, HashSet<ITypeSymbol> seen, ref string? reason)
    {
        if (depth > MaxDepth || !seen.Add(type))
        {
            reason = $"{type.ToDisplayString()} nests itself or is nested more than {MaxDepth} deep";
            return false;
        }

        if (type.TypeKind is not (Microsoft.CodeAnalysis.TypeKind.Class or Microsoft.CodeAnalysis.TypeKind.Struct) || type.SpecialType != SpecialType.None)
        {
            reason = $"{type.ToDisplayString()} is not a record, class or struct of properties";
            return false;
        }

        var properties = KeyedProperties(type).ToList();
        if (properties.Count == 0)
        {
            reason = $"{type.ToDisplayString()} has no public properties to key";
            return false;
        }

        // Only plain data is keyed by its properties: a type such as Stream has public properties (Length, Position)
        // that are not its content, and keying them would answer one image with another's result.
        var readOnly = type.IsRecord ? null : properties.FirstOrDefault(static p => p.SetMethod is null);
        if (!type.IsRecord && type.IsAbstract || readOnly is not null)
        {
            reason = readOnly is null
                ? $"{type.ToDisplayString()} is abstract, so its properties need not be all of its content"
                : $"{type.ToDisplayString()} is neither a record nor plain data (its property {readOnly.Name} has no setter), so its properties need not be its content";
            return false;
        }

        // The key is written from the declared type's properties: a derived type's own would be left out, and two
        // arguments that differ only there would share a result.
        if (type.IsReferenceType && !type.IsSealed)
        {
            reason = $"{type.ToDisplayString()} is not sealed, so an argument of a derived type could carry properties its key leaves out; seal it";
            return false;
        }

        // A null and an object are told apart by a marker, so that no object's key equals a null's.
        var indent = new string(' ', depth * 4);
        var inner = indent;
        if (type.IsReferenceType)
        {
            lines.Add($"{indent}if ({value} is null)");
            lines.Add($"{indent}{{");
            lines.Add($"{indent}    writer.WriteNull();");
            lines.Add(depth == 0 ? $"{indent}    return;" : $"{indent}}}");
            if (depth == 0)
            {
                lines.Add($"{indent}}}");
                lines.Add(string.Empty);
            }
            else
            {
                lines.Add($"{indent}else");
                lines.Add($"{indent}{{");
                inner = indent + "    ";
            }

            lines.Add($"{inner}writer.Write(true);");
        }

        foreach (var property in properties)
        {
            if (!WriteValue(property.Type, $"{value}.{Escape(property.Name)}", inner, lines, depth, seen, ref reason))
            {
                reason ??= $"property {property.Name} of type {property.Type.ToDisplayString()} cannot be keyed";
                return false;
            }
        }

        if (type.IsReferenceType && depth > 0)
        {
            lines.Add($"{indent}}}");
        }

        seen.Remove(type);
        return true;
    }

    private static bool WriteValue(ITypeSymbol type, string access, string indent, List<string> lines, int depth, HashSet<ITypeSymbol> seen, ref string? reason)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_String:
                lines.Add($"{indent}writer.Write({access});");
                return true;
            case SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Char:
                lines.Add($"{indent}writer.Write(unchecked((long){access}));");
                return true;
        }

        if (type.TypeKind == Microsoft.CodeAnalysis.TypeKind.Enum)
        {
            lines.Add($"{indent}writer.Write(unchecked((long){access}));");
            return true;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            lines.Add($"{indent}writer.Write({access}.HasValue);");
            lines.Add($"{indent}if ({access} is {{ }} present{depth})");
            lines.Add($"{indent}{{");
            if (!WriteValue(nullable.TypeArguments[0], $"present{depth}", indent + "    ", lines, depth + 1, seen, ref reason))
            {
                return false;
            }

            lines.Add($"{indent}}}");
            return true;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType: var element } && IsKeyScalar(element))
        {
            lines.Add($"{indent}if ({access} is null)");
            lines.Add($"{indent}{{");
            lines.Add($"{indent}    writer.WriteNull();");
            lines.Add($"{indent}}}");
            lines.Add($"{indent}else");
            lines.Add($"{indent}{{");
            lines.Add($"{indent}    writer.WriteTensor<{Display(element)}>({access}, [{access}.Length]);");
            lines.Add($"{indent}}}");
            return true;
        }

        var start = lines.Count;
        if (!WriteMembers(type, access, lines, depth + 1, seen, ref reason))
        {
            return false;
        }

        // Nested members were written at their depth's indentation; shift them to this block's.
        var shift = indent.Length - ((depth + 1) * 4);
        for (var i = start; i < lines.Count && shift != 0; i++)
        {
            lines[i] = shift > 0 ? new string(' ', shift) + lines[i] : lines[i].Substring(System.Math.Min(-shift, lines[i].Length - lines[i].TrimStart().Length));
        }

        return true;
    }

    public static string Escape(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    private static bool IsTensorContainer(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString() is
        "System.Memory<T>" or "System.ReadOnlyMemory<T>" or "System.Numerics.Tensors.Tensor<T>";

    private static bool IsTensorElement(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Byte
        || type.ToDisplayString() == "System.Half";

    private static bool IsKeyScalar(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Boolean or SpecialType.System_Char
        || type.ToDisplayString() == "System.Half";
}
