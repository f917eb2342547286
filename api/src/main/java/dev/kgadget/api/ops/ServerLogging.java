package dev.kgadget.api.ops;

/**
 * Logging of kgadget's server processes (node daemon, operator): JSON lines through logback
 * ({@link JsonLogConfigurator}), with java.util.logging (gRPC) routed into it. Call first thing in
 * main, before any logger exists. Does nothing beyond the property when logback or the JUL bridge
 * are not on the classpath.
 */
public final class ServerLogging {
    /** The system property that tells {@link JsonLogConfigurator} this process is a server. */
    static final String ACTIVE = "kgadget.serverLogging";

    private ServerLogging() {
    }

    public static void configure() {
        System.setProperty(ACTIVE, "true");
        try {
            Class<?> bridge = Class.forName("org.slf4j.bridge.SLF4JBridgeHandler");
            bridge.getMethod("removeHandlersForRootLogger").invoke(null);
            bridge.getMethod("install").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            // no bridge on the classpath: JUL keeps its own console handler
        }
    }
}
