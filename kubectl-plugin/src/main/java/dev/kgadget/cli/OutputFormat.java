package dev.kgadget.cli;

/** {@code -o}: text for people, json for scripts. */
public enum OutputFormat {
    TEXT, JSON
}
