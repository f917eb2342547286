package dev.kgadget.daemon.cgroup;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A container id as Kubernetes writes it in the pod status ({@code containerStatuses[].containerID}):
 * {@code <runtime>://<id>}, e.g. {@code containerd://<64 hex>}, {@code cri-o://<64 hex>},
 * {@code docker://<64 hex>}; the bare hex id (no runtime) is accepted too.
 *
 * @param runtime the runtime named by the prefix, {@link Runtime#UNSPECIFIED} for a bare id
 * @param id      the 64 hex digits, lower case
 */
public record ContainerId(Runtime runtime, String id) {
    /** The container runtimes whose cgroup layouts are known (see {@link CgroupNames}). */
    public enum Runtime {
        CONTAINERD, CRIO, DOCKER, UNSPECIFIED
    }

    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{64}");

    public ContainerId {
        if (runtime == null || id == null || !HEX_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("malformed container id " + runtime + "://" + id);
        }
        id = id.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a pod-status container id or a bare hex id.
     *
     * @throws IllegalArgumentException with a message fit for a user: malformed id, or a
     *                                  runtime whose layout is unknown
     */
    public static ContainerId parse(String raw) {
        String text = raw == null ? "" : raw.trim();
        int sep = text.indexOf("://");
        Runtime runtime = sep < 0 ? Runtime.UNSPECIFIED : runtimeNamed(text.substring(0, sep), text);
        String hex = sep < 0 ? text : text.substring(sep + 3);
        if (!HEX_ID.matcher(hex).matches()) {
            throw malformed(text);
        }
        return new ContainerId(runtime, hex);
    }

    private static Runtime runtimeNamed(String name, String text) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "containerd":
                return Runtime.CONTAINERD;
            case "cri-o", "crio":
                return Runtime.CRIO;
            case "docker":
                return Runtime.DOCKER;
            case "":
                throw malformed(text);
            default:
                throw new IllegalArgumentException("unsupported container runtime '" + excerpt(name) + "' in container id '"
                        + excerpt(text) + "' (supported: containerd://, cri-o://, docker:// or the bare hex id)");
        }
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("malformed container id '" + excerpt(text)
                + "' (expected <runtime>://<64 hex digits> as in the pod status, or the 64 hex digits alone)");
    }

    /** User input for an error message: at most 80 characters, control characters escaped. */
    static String excerpt(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < text.length() && b.length() < 80; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return i < text.length() ? b + "…" : b.toString();
    }

    @Override
    public String toString() {
        return switch (runtime) {
            case CONTAINERD -> "containerd://" + id;
            case CRIO -> "cri-o://" + id;
            case DOCKER -> "docker://" + id;
            case UNSPECIFIED -> id;
        };
    }
}
