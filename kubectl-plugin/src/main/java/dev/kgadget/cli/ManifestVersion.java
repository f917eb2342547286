package dev.kgadget.cli;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest; builds run from classes have none. */
final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = ManifestVersion.class.getPackage().getImplementationVersion();
        return new String[] {"kgadget " + (v == null ? "(development build)" : v)};
    }
}
