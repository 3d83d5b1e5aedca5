using System.Collections.Generic;
using System.Linq;
using Keel.Generators.Model;

namespace Keel.Generators.Emission;

/// <summary>
/// The builder chain of one method's pipeline, the same calls a user would write by hand:
/// <c>keel.For&lt;TInput, TResult&gt;(…).WithOperation(…).UseMonitor()…Build&lt;TState&gt;(…)</c>.
/// </summary>
internal static class PipelineEmitter
{
    public static readonly string GeneratedCode =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"Keel.Generators\", \"{typeof(PipelineEmitter).Assembly.GetName().Version}\")]";

    public static string PipelineType(MethodModel method, string? state) => state is null
        ? $"global::Keel.InferencePipeline<{method.InputType}, {method.PipelineResultType}>"
        : $"global::Keel.InferencePipeline<{state}, {method.InputType}, {method.PipelineResultType}>";

    /// <summary>Writes <c>provider.GetOrAdd(key, static keel => keel.For…Build…)</c> as the body of an expression.</summary>
    public static void WriteGetOrAdd(SourceWriter writer, TypeModel type, MethodModel method, string provider, string? state, string target)
    {
        writer.Line($"{provider}.GetOrAdd(").Indent();
        writer.Line($"{Literal(method.PipelineKey)},");
        writer.Line($"static keel => keel.For<{method.InputType}, {method.PipelineResultType}>({Literal(type.ModelName)}, {Literal(type.ModelVersion)})").Indent();
        writer.Line($".WithOperation({Literal(method.OperationName)})");
        if (method.InputDescriptor is { } descriptor)
        {
            writer.Line($".WithInputDescriptor({descriptor})");
        }

        foreach (var decorator in method.Decorators)
        {
            if (decorator.Kind == "ValidateInput")
            {
                WriteValidation(writer, method);
                continue;
            }

            writer.Line("." + Decorator(decorator, method));
        }

        writer.Line($".Build{(state is null ? string.Empty : $"<{state}>")}({Model(method, state, target)}));").Outdent().Outdent();
    }

    private static string Decorator(DecoratorModel decorator, MethodModel method)
    {
        if (decorator.Kind == "Resilience")
        {
            return $"UseResilience({Literal(decorator.Profile!)})";
        }

        var arguments = new List<string>();
        if (decorator.Profile is { } profile)
        {
            arguments.Add(Literal(profile));
        }

        if (decorator.Options.Count == 1)
        {
            arguments.Add($"static options => options.{decorator.Options[0].Property} = {decorator.Options[0].Value}");
        }
        else if (decorator.Options.Count > 1)
        {
            arguments.Add($"static options => {{ {string.Concat(decorator.Options.Select(static o => $"options.{o.Property} = {o.Value}; "))}}}");
        }

        return $"Use{decorator.Kind}({string.Join(", ", arguments)})";
    }

    /// <summary>
    /// <c>.UseValidateInput(…)</c>: one parameter's rules on its line; with several parameters, each parameter on a line
    /// of its own; a record's DataAnnotations one property a line, below its parameter.
    /// </summary>
    private static void WriteValidation(SourceWriter writer, MethodModel method)
    {
        var inputs = method.Inputs;

        // The message names the parameter as declared (event), the lambda's parameter is an identifier (@event).
        if (inputs.Count == 1)
        {
            var name = inputs[0].Name;
            WriteLines(writer, $".UseValidateInput({Literal(Unescape(name))}, static {name} => {Rules(name, inputs[0])})");
            return;
        }

        var parts = inputs
            .Select((p, i) => (Parameter: p, Index: i + 1))
            .Where(static x => x.Parameter.Rules.Count > 0 || x.Parameter.ObjectValidator is not null)
            .Select(static x => $".ForParameter({Literal(Unescape(x.Parameter.Name))}, static input => input.Item{x.Index}, static {x.Parameter.Name} => {Rules(x.Parameter.Name, x.Parameter)})")
            .ToList();
        writer.Line(".UseValidateInput(static parameters => parameters").Indent();
        for (var i = 0; i < parts.Count; i++)
        {
            WriteLines(writer, parts[i] + (i == parts.Count - 1 ? ")" : string.Empty));
        }

        writer.Outdent();
    }

    /// <summary>Writes <paramref name="text"/>'s first line, and its other lines (a record's properties) one level deeper.</summary>
    private static void WriteLines(SourceWriter writer, string text)
    {
        var lines = text.Split('\n');
        writer.Line(lines[0]).Indent();
        foreach (var line in lines.Skip(1))
        {
            writer.Line(line);
        }

        writer.Outdent();
    }

    /// <summary>The rules chained on <paramref name="receiver"/>; Keel.Onnx's <c>DenseTensor()</c> is called by its full name.</summary>
    private static string Rules(string receiver, ParameterModel parameter)
    {
        var rules = parameter.Rules.Select(static r => "." + r).ToList();
        if (rules.Count > 0 && parameter.Rules[0] == Parsing.KnownNames.DenseTensorRule)
        {
            receiver = $"global::Keel.Onnx.OnnxInputRulesExtensions.DenseTensor({receiver})";
            rules.RemoveAt(0);
        }

        return receiver + string.Concat(rules) + (parameter.ObjectValidator is { } validator ? $".Object({validator})" : string.Empty);
    }

    /// <summary>The model delegate: the body method (or the inner implementation) called with the input's parts.</summary>
    private static string Model(MethodModel method, string? state, string target)
    {
        var inputs = method.Inputs.Count;
        var index = 0;
        var arguments = string.Join(", ", method.Parameters.Select(p => p.IsCancellationToken ? "cancellationToken" : inputs == 1 ? "input" : $"input.Item{++index}"));
        var receiver = state is null || method.CoreIsStatic ? target : "self";
        var call = $"{receiver}.{method.CoreName}({arguments})";
        var parameters = state is null ? "(input, cancellationToken)" : "(self, input, cancellationToken)";
        return method.Return switch
        {
            ReturnKind.ValueTaskOfT or ReturnKind.Value => $"static {parameters} => {call}",
            ReturnKind.TaskOfT => $"static {parameters} => new global::System.Threading.Tasks.ValueTask<{method.ResultType}>({call})",
            ReturnKind.ValueTask or ReturnKind.Task => $"static async {parameters} => {{ await {call}.ConfigureAwait(false); return default(global::System.ValueTuple); }}",
            _ => $"static {parameters} => {{ {call}; return default(global::System.ValueTuple); }}",
        };
    }

    /// <summary>The call of the pipeline from the generated method, returned as its type requires.</summary>
    public static string Invoke(MethodModel method, string pipeline, string? state)
    {
        var arguments = string.Join(", ", new[] { state, method.InputExpression, method.CancellationTokenName }.Where(static a => a is not null));
        return method.Return switch
        {
            ReturnKind.ValueTaskOfT => $"return {pipeline}.ExecuteAsync({arguments});",
            ReturnKind.TaskOfT => $"return {pipeline}.ExecuteAsync({arguments}).AsTask();",
            ReturnKind.Value => $"return {pipeline}.Execute({arguments});",
            ReturnKind.ValueTask or ReturnKind.Task => $"await {pipeline}.ExecuteAsync({arguments}).ConfigureAwait(false);",
            _ => $"{pipeline}.Execute({arguments});",
        };
    }

    public static bool IsAsync(MethodModel method) => method.Return is ReturnKind.ValueTask or ReturnKind.Task;

    public static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    private static string Unescape(string name) => name.TrimStart('@');
}
