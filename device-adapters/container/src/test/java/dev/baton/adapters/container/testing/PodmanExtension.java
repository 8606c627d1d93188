package dev.baton.adapters.container.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's one {@link PodmanEngine}: started before the first test class that uses it, kept in the root
 * context's store (which closes it when all tests are done), and cleaned of each test's containers after the test.
 */
public final class PodmanExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PodmanEngine.class);

    @Override
    public void beforeAll(final ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == PodmanEngine.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return shared(context);
    }

    @Override
    public void afterEach(final ExtensionContext context) {
        final PodmanEngine engine = context.getRoot().getStore(NAMESPACE).get(PodmanEngine.class, PodmanEngine.class);
        if (engine != null) {
            engine.removeTestContainers();
        }
    }

    private static PodmanEngine shared(final ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(PodmanEngine.class, key -> PodmanEngine.start(), PodmanEngine.class);
    }
}
