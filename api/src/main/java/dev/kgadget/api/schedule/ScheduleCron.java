package dev.kgadget.api.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

import static com.cronutils.model.CronType.UNIX;

/**
 * A schedule's cron expression in its time zone, as CronJob reads it: five fields (minute hour
 * day-of-month month day-of-week) or one of the @-macros. Parsing and next-run arithmetic are
 * cron-utils'.
 */
public final class ScheduleCron {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    /** Why a schedule or time zone cannot be used: a CamelCase reason and a message naming the field. */
    public static final class InvalidScheduleException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        public InvalidScheduleException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final ExecutionTime times;
    private final ZoneId zone;

    private ScheduleCron(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** @throws InvalidScheduleException for a bad expression (InvalidSchedule) or zone (InvalidTimeZone) */
    public static ScheduleCron parse(String schedule, String timeZone) {
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("InvalidTimeZone", "spec.timeZone: '" + timeZone
                    + "' is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)");
        }
        String expr = schedule == null ? "" : schedule.trim();
        String cron = MACROS.getOrDefault(expr.toLowerCase(java.util.Locale.ROOT), expr);
        if (cron.startsWith("@")) {
            throw new InvalidScheduleException("InvalidSchedule", "spec.schedule: unknown macro '" + expr
                    + "' (use @hourly, @daily, @weekly, @monthly, @yearly or five cron fields)");
        }
        if (cron.split("\\s+").length != 5) {
            throw new InvalidScheduleException("InvalidSchedule", "spec.schedule: '" + expr
                    + "' needs five fields: minute hour day-of-month month day-of-week (e.g. '*/15 * * * *')");
        }
        try {
            Cron parsed = PARSER.parse(cron);
            parsed.validate();
            return new ScheduleCron(ExecutionTime.forCron(parsed), zone);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("InvalidSchedule", "spec.schedule: '" + expr + "' is not a valid cron "
                    + "expression: " + e.getMessage());
        }
    }

    /** The first run due strictly after {@code t}. */
    public Optional<Instant> nextAfter(Instant t) {
        return times.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant);
    }

    /** Runs due in (from, to]: how many (at most {@code cap}) and the latest. */
    public Due dueBetween(Instant from, Instant to, int cap) {
        int n = 0;
        Instant latest = null;
        Instant t = from;
        while (n < cap) {
            Optional<Instant> next = nextAfter(t);
            if (next.isEmpty() || next.get().isAfter(to)) {
                break;
            }
            latest = next.get();
            t = latest;
            n++;
        }
        return new Due(n, latest);
    }

    /** @param latest null when none is due */
    public record Due(int count, Instant latest) {
    }
}
