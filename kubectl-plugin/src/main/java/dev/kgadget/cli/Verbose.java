package dev.kgadget.cli;

/** A command with {@code -v}: on errors the stack trace is printed too. */
public interface Verbose {
    boolean verbose();
}
