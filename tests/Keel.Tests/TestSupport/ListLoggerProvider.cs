using Microsoft.Extensions.Logging;

namespace Keel.Tests.TestSupport;

/// <summary>A logger factory that keeps every entry at or above a minimum level, for tests that check what is logged.</summary>
internal sealed class ListLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            lock (owner._entries)
            {
                owner._entries.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, values.ToDictionary(v => v.Key, v => v.Value)));
            }
        }
    }

    private readonly LogLevel _minimum = minimum;
}

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> State);
