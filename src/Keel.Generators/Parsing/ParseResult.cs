using Keel.Generators.Model;

namespace Keel.Generators.Parsing;

/// <summary>What parsing one type gives: the model to emit (none when an error stops it) and the diagnostics.</summary>
internal sealed record ParseResult(TypeModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
