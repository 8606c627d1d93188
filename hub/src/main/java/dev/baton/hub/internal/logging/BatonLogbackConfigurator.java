package dev.baton.hub.internal.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.URL;

/**
 * Configures Logback from the hub's own {@code dev/baton/hub/logback.xml}, found through Logback's {@link
 * Configurator} service (META-INF/services). HiveMQ CE ships a {@code logback.xml} at its jar's root; relying on
 * Logback's default lookup would make the hub's logging depend on class path order.
 *
 * <p>{@code -Dlogback.configurationFile=…} still wins: then this configurator steps aside.
 */
public final class BatonLogbackConfigurator extends ContextAwareBase implements Configurator {

    static final String CONFIGURATION = "dev/baton/hub/logback.xml";

    @Override
    public ExecutionStatus configure(final LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        final URL configuration =
                BatonLogbackConfigurator.class.getClassLoader().getResource(CONFIGURATION);
        if (configuration == null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        final JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(configuration);
        } catch (final JoranException e) {
            addError("cannot configure logging from " + configuration, e);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
