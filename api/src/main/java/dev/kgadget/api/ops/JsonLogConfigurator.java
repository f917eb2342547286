package dev.kgadget.api.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * The logging of kgadget's servers (node daemon, operator), for logback: one JSON object per
 * line on stdout. Built in code rather than read from an XML file, so that logback's XML
 * configurator and the JDK's XML parser are never loaded: about 400 classes, 3 MiB of a
 * daemon's resident set (bench/compare).
 *
 * <p>Found by logback as a service; acts only in a process that called
 * {@link ServerLogging#configure()} and named no {@code logback.configurationFile} (which then
 * wins), so tests and the CLI keep their own logging. {@code KGADGET_LOG_LEVEL} sets the level of
 * kgadget's own loggers (default INFO).
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
    private static final Map<String, Level> LEVELS = Map.of(
            "io.grpc", Level.WARN,
            "io.fabric8", Level.WARN,
            // "unstable version v1alpha1" of TraceJob, once per process: known, not news
            "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!Boolean.getBoolean(ServerLogging.ACTIVE) || System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.NEUTRAL;
        }
        // java.util.logging (gRPC) is routed here by ServerLogging: keep JUL's levels in step with these
        LevelChangePropagator jul = new LevelChangePropagator();
        jul.setContext(context);
        jul.setResetJUL(true);
        jul.start();
        context.addListener(jul);

        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithFormattedMessage(true); // the message with its arguments filled in
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("JSON");
        stdout.setEncoder(encoder);
        stdout.start();

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        String own = System.getenv("KGADGET_LOG_LEVEL");
        context.getLogger("dev.kgadget").setLevel(Level.toLevel(own, Level.INFO));
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
