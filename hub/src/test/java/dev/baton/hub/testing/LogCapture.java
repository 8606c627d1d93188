package dev.baton.hub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger (and its children) logs, at DEBUG, while open. Some outcomes show nowhere but in the
 * log — a duplicate that was dropped leaves the store as it was — so tests wait for the log line that says the
 * message was handled, instead of sleeping.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(final String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        previousLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    public static LogCapture of(final Class<?> type) {
        return new LogCapture(type.getName());
    }

    public static LogCapture of(final String loggerName) {
        return new LogCapture(loggerName);
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        synchronized (appender) {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    public boolean contains(final String text) {
        return messages().stream().anyMatch(message -> message.contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
    }
}
