package dev.kgadget.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build writes the generated CRDs and where their checked-in copies live (set by the pom). */
final class CrdFiles {
    static final String UPDATE_COMMAND = "mvn -B -pl api -am process-classes -Dkgadget.updateCrds";

    private CrdFiles() {
    }

    /** target/classes/META-INF/fabric8 */
    static Path generatedDir() {
        return Path.of(System.getProperty("kgadget.crds.generated", "target/classes/META-INF/fabric8"));
    }

    /** ../crds (the reactor root's crds/) */
    static Path checkedInDir() {
        return Path.of(System.getProperty("kgadget.crds.dir", "../crds"));
    }

    static String fileName(String crdName) {
        return crdName + "-v1.yml";
    }

    static CustomResourceDefinition generated(String crdName) {
        Path file = generatedDir().resolve(fileName(crdName));
        try {
            return new KubernetesSerialization().unmarshal(Files.readString(file), CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("no generated CRD at " + file + " (the build's process-classes phase writes it)", e);
        }
    }
}
