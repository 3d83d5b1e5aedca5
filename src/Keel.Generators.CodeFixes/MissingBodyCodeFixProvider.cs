using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Keel.Generators.CodeFixes;

/// <summary>
/// Fixes KEEL0004 (a decorated partial method has no body method): adds, after the partial method, a private body method
/// named by the convention (<c>ScoreAsync</c> → <c>ScoreCoreAsync</c>) with the same return type and parameters, static
/// when the method is, whose body throws <see cref="System.NotImplementedException"/> until it is written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingBodyCodeFixProvider))]
[Shared]
public sealed class MissingBodyCodeFixProvider : CodeFixProvider
{
    /// <summary>The id of the diagnostic this fixes, reported by Keel's source generator.</summary>
    public const string DiagnosticId = "KEEL0004";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticId];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
        {
            return;
        }

        var name = BodyMethod.Name(method.Identifier.ValueText);
        context.RegisterCodeFix(
            CodeAction.Create($"Add the body method '{name}'", ct => AddBodyMethodAsync(context.Document, method, name, ct), equivalenceKey: DiagnosticId),
            context.Diagnostics);
    }

    private static async Task<Document> AddBodyMethodAsync(Document document, MethodDeclarationSyntax method, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // A blank line before it, in the file's own line ending; the formatter indents it.
        var newLine = method.GetTrailingTrivia().FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        newLine = newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : ElasticCarriageReturnLineFeed;
        var body = BodyMethod.Create(method, name).WithLeadingTrivia(newLine).WithTrailingTrivia(newLine).WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root.InsertNodesAfter(method, [body]));
    }
}

/// <summary>The body method of a decorated partial method, as the generator expects it.</summary>
internal static class BodyMethod
{
    private const string Async = "Async";

    /// <summary>
    /// The generator's naming convention (Keel.Generators' <c>MethodParser.CoreName</c>, which a test keeps equal):
    /// <c>ScoreAsync</c> becomes <c>ScoreCoreAsync</c>, <c>Score</c> becomes <c>ScoreCore</c>.
    /// </summary>
    public static string Name(string method) =>
        method.EndsWith(Async, System.StringComparison.Ordinal) && method.Length > Async.Length
            ? method.Substring(0, method.Length - Async.Length) + "Core" + Async
            : method + "Core";

    /// <summary>
    /// <c>private [static] ReturnType NameCore(parameters) { throw new NotImplementedException(); }</c>: the parameters
    /// without their attributes (the rules belong on the decorated method) and default values.
    /// </summary>
    public static MethodDeclarationSyntax Create(MethodDeclarationSyntax method, string name)
    {
        var modifiers = TokenList(Token(SyntaxKind.PrivateKeyword));
        if (method.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            modifiers = modifiers.Add(Token(SyntaxKind.StaticKeyword));
        }

        var parameters = method.ParameterList.Parameters.Select(static p => p.WithAttributeLists(default).WithDefault(null).WithoutTrivia());
        var exception = ParseTypeName("global::System.NotImplementedException").WithAdditionalAnnotations(Simplifier.Annotation);
        return MethodDeclaration(method.ReturnType.WithoutTrivia(), Identifier(name))
            .WithModifiers(modifiers)
            .WithParameterList(ParameterList(SeparatedList(parameters)))
            .WithBody(Block(ThrowStatement(ObjectCreationExpression(exception).WithArgumentList(ArgumentList()))));
    }
}
