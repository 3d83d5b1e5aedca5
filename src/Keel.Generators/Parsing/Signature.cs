using System.Collections.Generic;
using System.Linq;
using Keel.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Parsing;

/// <summary>A decorated method's return, parameters, decorators and input descriptor, checked.</summary>
internal sealed class Signature
{
    private const int MaxInputs = 4;

    private Signature(string memberName, ReturnKind returnKind, string? resultType, List<ParameterModel> parameters, List<DecoratorModel> decorators, string? inputDescriptor, List<KeyWriterModel> keyWriters)
    {
        MemberName = memberName;
        ReturnKind = returnKind;
        ResultType = resultType;
        Parameters = parameters;
        Decorators = decorators;
        InputDescriptor = inputDescriptor;
        KeyWriters = keyWriters;
    }

    /// <summary>What the generated members of the method are named after (see <see cref="MethodParser.MemberName"/>).</summary>
    public string MemberName { get; }

    public ReturnKind ReturnKind { get; }

    public string? ResultType { get; }

    public List<ParameterModel> Parameters { get; }

    public List<DecoratorModel> Decorators { get; }

    public string? InputDescriptor { get; }

    public List<KeyWriterModel> KeyWriters { get; }

    public static Signature? Parse(IMethodSymbol method, string memberName, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        var location = method.Locations.FirstOrDefault();
        var errors = diagnostics.Count;
        var attributes = method.GetAttributes().Where(static a => a.AttributeClass is not null).ToDictionary(static a => a.AttributeClass!.ToDisplayString(), static a => a);
        var hasCache = attributes.ContainsKey(KnownNames.CacheResult);

        var (returnKind, resultType) = Return(method, diagnostics);
        if (hasCache && resultType is null && returnKind != ReturnKind.Value)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CacheWithoutResult, location, method.Name, method.ReturnType.ToDisplayString()));
        }

        var parameters = new List<ParameterModel>();
        string? token = null;
        var hasRules = false;
        var writtenRules = false;
        foreach (var parameter in method.Parameters)
        {
            var kind = parameter.RefKind switch
            {
                RefKind.Ref => "passed by ref",
                RefKind.Out => "an out parameter",
                RefKind.In => "passed by in",
                RefKind.RefReadOnlyParameter => "passed by ref readonly",
                _ => parameter.IsParams ? "a params array" : parameter.Type.IsRefLikeType ? "a ref struct" : parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol ? "a pointer" : null,
            };
            var isToken = parameter.Type.ToDisplayString() == KnownNames.CancellationToken;
            if (isToken && token is not null)
            {
                kind = "a second CancellationToken";
            }

            if (kind is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter, parameter.Locations.FirstOrDefault(), parameter.Name, method.Name, kind));
                continue;
            }

            var name = TypeClassifier.Escape(parameter.Name);
            if (isToken)
            {
                token = name;
                parameters.Add(new ParameterModel(name, TypeClassifier.Display(parameter.Type), IsCancellationToken: true, EquatableArray<string>.Empty, null));
                continue;
            }

            var rules = RuleReader.Rules(parameter, compilation, diagnostics);
            var objectValidator = RuleReader.ObjectValidator(parameter.Type);
            hasRules |= rules.Count > 0 || objectValidator is not null;
            writtenRules |= parameter.GetAttributes().Any(static a => KnownNames.Rules.Contains(a.AttributeClass?.ToDisplayString()));
            parameters.Add(new ParameterModel(name, TypeClassifier.Display(parameter.Type), IsCancellationToken: false, rules.ToEquatableArray(), objectValidator));
        }

        var inputs = parameters.Count(static p => !p.IsCancellationToken);
        if (inputs > MaxInputs)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, location, method.Name,
                $"it takes {inputs} parameters besides the CancellationToken, and a decorated method takes at most {MaxInputs}: group them in a record, whose properties Keel keys and validates"));
        }

        if (attributes.ContainsKey(KnownNames.Retry) && token is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RetryWithoutCancellation, location, method.Name));
        }

        // Rules that are written but wrong have their own diagnostics; this one is for a method with none at all.
        if (attributes.ContainsKey(KnownNames.ValidateInput) && !hasRules && !writtenRules)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NothingToValidate, location, method.Name));
        }

        var keyWriters = new List<KeyWriterModel>();
        var descriptor = hasCache && inputs <= MaxInputs ? DescribeInput(method, memberName, compilation, keyWriters, diagnostics) : null;
        var decorators = DecoratorReader.Read(method, attributes, validate: hasRules, diagnostics);
        return diagnostics.Skip(errors).Any(static d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error)
            ? null
            : new Signature(memberName, returnKind, resultType, parameters, decorators, descriptor, keyWriters);
    }

    public MethodModel ToModel(IMethodSymbol method, INamedTypeSymbol type, string coreName, string modifiers, bool coreIsStatic) => new(
        TypeClassifier.Escape(method.Name),
        TypeClassifier.Escape(coreName),
        modifiers,
        method.IsStatic,
        ReturnKind,
        TypeClassifier.Display(method.ReturnType),
        ResultType,
        Parameters.ToEquatableArray(),
        Parameters.FirstOrDefault(static p => p.IsCancellationToken)?.Name,
        MethodParser.OperationName(method.Name),
        $"{type.ToDisplayString()}.{method.Name}({string.Join(", ", method.Parameters.Select(static p => p.Type.ToDisplayString()))})",
        Decorators.ToEquatableArray(),
        InputDescriptor,
        KeyWriters.ToEquatableArray(),
        coreIsStatic,
        MemberName,
        TypeClassifier.Display(method.ContainingType));

    private static (ReturnKind Kind, string? Result) Return(IMethodSymbol method, List<DiagnosticInfo> diagnostics)
    {
        var type = method.ReturnType;
        if (method.ReturnsByRef || method.ReturnsByRefReadonly || type.IsRefLikeType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturn, method.Locations.FirstOrDefault(), method.Name, (method.ReturnsByRef ? "ref " : string.Empty) + type.ToDisplayString()));
            return (ReturnKind.Void, null);
        }

        if (type.SpecialType == SpecialType.System_Void)
        {
            return (ReturnKind.Void, null);
        }

        var definition = type.OriginalDefinition.ToDisplayString();
        if (definition is "System.Collections.Generic.IAsyncEnumerable<T>" or "System.Collections.Generic.IAsyncEnumerator<T>")
        {
            // A stream is consumed after the call returns: retry, the cache and the monitor would see only its start.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturn, method.Locations.FirstOrDefault(), method.Name, type.ToDisplayString()));
            return (ReturnKind.Void, null);
        }

        return definition switch
        {
            "System.Threading.Tasks.ValueTask<TResult>" => (ReturnKind.ValueTaskOfT, TypeClassifier.Display(((INamedTypeSymbol)type).TypeArguments[0])),
            "System.Threading.Tasks.Task<TResult>" => (ReturnKind.TaskOfT, TypeClassifier.Display(((INamedTypeSymbol)type).TypeArguments[0])),
            "System.Threading.Tasks.ValueTask" => (ReturnKind.ValueTask, null),
            "System.Threading.Tasks.Task" => (ReturnKind.Task, null),
            _ => (ReturnKind.Value, TypeClassifier.Display(type)),
        };
    }

    /// <summary>
    /// The input's descriptor for the cache key, when the engine cannot resolve it by itself: one parameter of a type
    /// the generator keys (an enum, a record), Keel.Onnx's tensors, or a tuple of several parameters.
    /// </summary>
    private static string? DescribeInput(IMethodSymbol method, string memberName, Compilation compilation, List<KeyWriterModel> keyWriters, List<DiagnosticInfo> diagnostics)
    {
        var inputs = method.Parameters.Where(static p => p.Type.ToDisplayString() != KnownNames.CancellationToken).ToList();
        if (inputs.Count == 0)
        {
            keyWriters.Add(new KeyWriterModel($"WriteKeyOf{memberName}", "global::System.ValueTuple", EquatableArray<string>.Empty));
            return $"global::Keel.ValueDescriptor.Create<global::System.ValueTuple>(WriteKeyOf{memberName})";
        }

        var parts = new List<string>();
        var engineResolvesAll = true;
        foreach (var input in inputs)
        {
            var builtIn = TypeClassifier.BuiltInDescriptor(input.Type, compilation, out var resolvedByEngine);
            engineResolvesAll &= builtIn is not null && resolvedByEngine;
            if (builtIn is not null)
            {
                parts.Add(builtIn);
                continue;
            }

            if (TypeClassifier.KeyWriter(input.Type, out var reason) is { } lines)
            {
                var name = $"WriteKeyOf{memberName}{char.ToUpperInvariant(input.Name[0])}{input.Name.Substring(1)}";
                keyWriters.Add(new KeyWriterModel(name, TypeClassifier.Display(input.Type), lines.ToEquatableArray()));
                parts.Add($"global::Keel.ValueDescriptor.Create<{TypeClassifier.Display(input.Type)}>({name})");
                continue;
            }

            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnkeyableParameter, input.Locations.FirstOrDefault(), input.Name, input.Type.ToDisplayString(),
                $"{reason}. Keel keys strings, numeric scalars, enums, arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of numbers, and records or plain data classes whose public properties are those; pass one of them, or build the pipeline by hand with builder.WithInputDescriptor(ValueDescriptor.Create<T>(…))"));
        }

        return inputs.Count == 1 ? (engineResolvesAll ? null : parts.FirstOrDefault())
            : parts.Count == inputs.Count ? $"global::Keel.ValueDescriptor.Tuple({string.Join(", ", parts)})"
            : null;
    }
}
