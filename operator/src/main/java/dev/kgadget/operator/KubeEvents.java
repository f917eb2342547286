package dev.kgadget.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;

/** Kubernetes Events about kgadget objects ({@code kubectl describe} and {@code kubectl get events} show them). */
public final class KubeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(KubeEvents.class);
    static final String COMPONENT = "kgadget-operator";

    private final KubernetesClient client;
    private final Clock clock;

    public KubeEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String reason, String message) {
        emit(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        emit(about, "Warning", reason, message);
    }

    private void emit(HasMetadata about, String type, String reason, String message) {
        String now = clock.instant().toString();
        String ns = about.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString()
                            .replace("-", "").substring(0, 16)).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion())
                            .withKind(about.getKind()).withName(about.getMetadata().getName()).withNamespace(ns)
                            .withUid(about.getMetadata().getUid()).build())
                    .withType(type).withReason(reason).withMessage(message).withCount(1)
                    .withFirstTimestamp(now).withLastTimestamp(now)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: the status says the same
            LOG.warn("cannot record event {} on {}/{}: {}", reason, ns, about.getMetadata().getName(), e.getMessage());
        }
    }
}
