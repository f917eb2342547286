package dev.kgadget.cli.cluster;

/** {@code -o} of {@code kubectl gadget run/results}: text for people, json or yaml for scripts. */
public enum OutputMode {
    TEXT, JSON, YAML
}
