package dev.kgadget.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The chart in helm/, rendered by Helm itself (helm-java) into typed objects. */
final class Chart {
    static final String NAMESPACE = "kgadget-system";

    private Chart() {
    }

    static Path path() {
        return Path.of(System.getProperty("kgadget.chart", "../helm")).toAbsolutePath().normalize();
    }

    /** {@code helm template kgadget helm/ -n kgadget-system --set k=v ...} as objects. */
    static List<HasMetadata> render(Map<String, Object> values) {
        return render(values, null);
    }

    /** As above, with a values file (for lists, which --set cannot give here) written from {@code valuesYaml}. */
    static List<HasMetadata> render(Map<String, Object> values, String valuesYaml) {
        TemplateCommand t = new Helm(path()).template().withName("kgadget").withNamespace(NAMESPACE);
        values.forEach(t::set);
        if (valuesYaml != null) {
            try {
                Path f = Files.createTempFile("values", ".yaml");
                Files.writeString(f, valuesYaml);
                f.toFile().deleteOnExit();
                t.withValuesFile(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String yaml = t.call();
        Object parsed = new KubernetesSerialization().unmarshal(yaml);
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        if (parsed instanceof List<?> list) {
            return list.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) parsed);
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return (T) objects.stream().filter(type::isInstance).filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in "
                        + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }
}
