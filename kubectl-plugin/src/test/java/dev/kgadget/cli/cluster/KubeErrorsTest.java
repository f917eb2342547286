package dev.kgadget.cli.cluster;

import dev.kgadget.cli.CliFailure;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server's answers as the CLI reports them. The Status bodies are the ones kube-apiserver
 * sends; a cluster without the CRD or with RBAC denying the user is not part of the IT (one API
 * server per test JVM, with the CRD installed and an admin user).
 */
class KubeErrorsTest {
    private static final String URL = "https://10.0.0.1:6443/";

    @Test
    void aMissingResourceTypeMeansTheCrdIsNotInstalled() {
        Status s = new StatusBuilder().withCode(404).withReason("NotFound")
                .withMessage("the server could not find the requested resource").build();
        CliFailure f = KubeErrors.translate(new KubernetesClientException(s), URL, "create the TraceJob");
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(f.getMessage()).isEqualTo("the TraceJob CRD is not installed in this cluster (no resource "
                + "tracejobs.kgadget.dev); install it with: kubectl apply -f crds/");
    }

    @Test
    void aMissingJobIsBadInput() {
        Status s = new StatusBuilder().withCode(404).withReason("NotFound").withNewDetails().withName("x-1")
                .withKind("tracejobs").withGroup("kgadget.dev").endDetails().withMessage("tracejobs.kgadget.dev \"x-1\" not found").build();
        CliFailure f = KubeErrors.translate(new KubernetesClientException(s), URL, "get the tracejob");
        assertThat(f.exitCode()).isEqualTo(2);
        assertThat(f.getMessage()).isEqualTo("tracejob 'x-1' not found (see 'kubectl gadget get')");
    }

    @Test
    void forbiddenNamesTheVerbAndTheResource() {
        Status s = new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(
                "tracejobs.kgadget.dev is forbidden: User \"dev\" cannot create resource \"tracejobs\" in API group "
                        + "\"kgadget.dev\" in the namespace \"shop\"").build();
        CliFailure f = KubeErrors.translate(new KubernetesClientException(s), URL, "create the TraceJob");
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(f.getMessage()).isEqualTo("forbidden: User \"dev\" may not create tracejobs.kgadget.dev in "
                + "namespace shop; ask for an RBAC Role that allows 'create' on tracejobs.kgadget.dev");
    }

    @Test
    void unprocessableIsBadInputWithTheServersCauses() {
        Status s = new StatusBuilder().withCode(422).withReason("Invalid").withMessage("TraceJob.kgadget.dev \"x\" is invalid")
                .withNewDetails().addNewCause().withField("spec.duration").withMessage("Invalid value: \"2h\": at most 1h")
                .endCause().endDetails().build();
        CliFailure f = KubeErrors.translate(new KubernetesClientException(s), URL, "create the TraceJob");
        assertThat(f.exitCode()).isEqualTo(2);
        assertThat(f.getMessage()).isEqualTo("the API server rejected the TraceJob: spec.duration: Invalid value: \"2h\": at most 1h");
    }

    @Test
    void noConnectionIsAClusterProblem() {
        var e = new KubernetesClientException("An error has occurred.", new IOException(new ConnectException()));
        CliFailure f = KubeErrors.translate(e, URL, "list tracejobs");
        assertThat(f.exitCode()).isEqualTo(3);
        assertThat(f.getMessage()).startsWith("cannot reach the Kubernetes API at " + URL + ": connection refused");
    }
}
