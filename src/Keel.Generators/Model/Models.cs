using System.Collections.Generic;
using System.Linq;

namespace Keel.Generators.Model;

/// <summary>What the generator writes for one type: a partial class's methods, or an interface's decorator class.</summary>
internal sealed record TypeModel(
    TypeKind Kind,
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Name,
    string FullyQualifiedName,
    string Accessibility,
    string ModelName,
    string ModelVersion,
    string? ProviderMember,
    EquatableArray<MethodModel> Methods,
    EquatableArray<ForwardedMember> ForwardedMembers)
{
    /// <summary>The generated file's name: stable, unique per type, safe on every file system.</summary>
    public string HintName => FullyQualifiedName.Replace("global::", string.Empty).Replace('<', '{').Replace('>', '}') + ".Keel.g.cs";

    /// <summary>The interface decorator's class name: <c>IFeatureStore</c> becomes <c>FeatureStoreDecorator</c>.</summary>
    public string DecoratorName => (Name.Length > 1 && Name[0] == 'I' && char.IsUpper(Name[1]) ? Name.Substring(1) : Name) + "Decorator";
}

internal enum TypeKind
{
    PartialClass,
    Interface,
}

/// <summary>A type around the decorated one, re-declared <c>partial</c> in the generated file.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>
/// One decorated method. <see cref="MemberName"/> names its generated members, unique among decorated overloads;
/// <see cref="DeclaringType"/> is the interface an interface method is explicitly implemented on.
/// </summary>
internal sealed record MethodModel(
    string Name,
    string CoreName,
    string Modifiers,
    bool IsStatic,
    ReturnKind Return,
    string ReturnType,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters,
    string? CancellationTokenName,
    string OperationName,
    string PipelineKey,
    EquatableArray<DecoratorModel> Decorators,
    string? InputDescriptor,
    EquatableArray<KeyWriterModel> KeyWriters,
    bool CoreIsStatic,
    string MemberName,
    string DeclaringType)
{
    /// <summary>The pipeline's input type: the one parameter's type, a tuple of several, or <c>ValueTuple</c> for none.</summary>
    public string InputType => Inputs.Count switch
    {
        0 => "global::System.ValueTuple",
        1 => Inputs[0].Type,
        _ => "(" + string.Join(", ", Inputs.Select(static p => p.Type)) + ")",
    };

    /// <summary>The parameters that form the input, in order.</summary>
    public List<ParameterModel> Inputs => [.. Parameters.Where(static p => !p.IsCancellationToken)];

    /// <summary>The input as an expression of the arguments: the one parameter, a tuple of several, or <c>default</c>.</summary>
    public string InputExpression => Inputs.Count switch
    {
        0 => "default",
        1 => Inputs[0].Name,
        _ => "(" + string.Join(", ", Inputs.Select(static p => p.Name)) + ")",
    };

    /// <summary>The pipeline's result type: the method's, or <c>ValueTuple</c> for a method without one.</summary>
    public string PipelineResultType => ResultType ?? "global::System.ValueTuple";

    public string FieldName => "_keel" + MemberName + "Pipeline";
}

internal enum ReturnKind
{
    ValueTaskOfT,
    TaskOfT,
    Value,
    ValueTask,
    Task,
    Void,
}

/// <summary>
/// A parameter of the method: its declaration in the implementation, and for an input parameter (every one but the
/// cancellation token) its rules and object validator.
/// </summary>
internal sealed record ParameterModel(string Name, string Type, bool IsCancellationToken, EquatableArray<string> Rules, string? ObjectValidator);

/// <summary>A key writer the generator writes for a parameter type Keel cannot key by itself (an enum, record or class).</summary>
internal sealed record KeyWriterModel(string Name, string Type, EquatableArray<string> Lines);

/// <summary>One decorator in canonical order: its builder call, with the profile and the attribute's values.</summary>
internal sealed record DecoratorModel(string Kind, string? Profile, EquatableArray<OptionAssignment> Options);

/// <summary>One attribute value as an options assignment, for example <c>TimeToLive = TimeSpan.FromSeconds(30)</c>.</summary>
internal sealed record OptionAssignment(string Property, string Value);

/// <summary>An interface member the decorator class forwards to the inner implementation unchanged.</summary>
internal sealed record ForwardedMember(string Declaration, string Body);
