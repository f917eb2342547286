package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.cli.CliFailure;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the API server (or its absence) said, as one line the user can act on, with its exit code. */
final class KubeErrors {
    static final String CRD_MISSING = crdMissing(TraceJob.KIND, TraceJob.CRD_NAME);

    /** "the TraceJob CRD is not installed in this cluster (no resource tracejobs.kgadget.dev); install it with: ..." */
    static String crdMissing(String kind, String crd) {
        return "the " + kind + " CRD is not installed in this cluster (no resource " + crd
                + "); install it with: kubectl apply -f crds/";
    }

    /** "User "x" cannot list resource "tracejobs" in API group "kgadget.dev" in the namespace "ns"". */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(User \"[^\"]*\") cannot (\\w+) resource \"([^\"]+)\"(?: in API group \"([^\"]*)\")?(?: in the namespace \"([^\"]+)\")?");

    private KubeErrors() {
    }

    /**
     * @param masterUrl the API server the client talked to
     * @param what      what was being done, e.g. "create the TraceJob"
     */
    static CliFailure translate(KubernetesClientException e, String masterUrl, String what) {
        return translate(e, masterUrl, what, CRD_MISSING);
    }

    /** @param crdMissing what a 404 for the whole resource means (its CRD is missing) */
    static CliFailure translate(KubernetesClientException e, String masterUrl, String what, String crdMissing) {
        int code = e.getCode();
        Status status = e.getStatus();
        String serverMessage = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
        if (code == 0 || unreachable(e)) {
            return new CliFailure(ExitCodes.CANNOT_RUN, "cannot reach the Kubernetes API at " + masterUrl + ": "
                    + rootMessage(e) + " (check --kubeconfig/--context, or that the cluster is up)", e);
        }
        if (code == 401) {
            return new CliFailure(ExitCodes.CANNOT_RUN, "the Kubernetes API at " + masterUrl
                    + " did not accept the credentials of this kubeconfig (401 Unauthorized)", e);
        }
        if (code == 403) {
            return new CliFailure(ExitCodes.CANNOT_RUN, forbidden(serverMessage, what), e);
        }
        if (code == 404) {
            if (isNamedObjectMissing(status)) {
                return new CliFailure(ExitCodes.BAD_INPUT, notFound(status), e);
            }
            return new CliFailure(ExitCodes.CANNOT_RUN, crdMissing, e);
        }
        if (code == 422 || code == 400) {
            return new CliFailure(ExitCodes.BAD_INPUT, "the API server rejected the TraceJob: " + invalid(status, serverMessage), e);
        }
        return new CliFailure(ExitCodes.CANNOT_RUN, "cannot " + what + ": " + code + " " + serverMessage, e);
    }

    static String forbidden(String message, String what) {
        Matcher m = FORBIDDEN.matcher(message == null ? "" : message);
        if (m.find()) {
            String resource = m.group(3) + (m.group(4) == null || m.group(4).isEmpty() ? "" : "." + m.group(4));
            String where = m.group(5) == null ? " (cluster-wide)" : " in namespace " + m.group(5);
            return "forbidden: " + m.group(1) + " may not " + m.group(2) + " " + resource + where
                    + "; ask for an RBAC Role that allows '" + m.group(2) + "' on " + resource;
        }
        return "forbidden: cannot " + what + ": " + message;
    }

    private static boolean isNamedObjectMissing(Status status) {
        return status != null && status.getDetails() != null && status.getDetails().getName() != null
                && !status.getDetails().getName().isEmpty();
    }

    private static String notFound(Status status) {
        String kind = status.getDetails().getKind() == null ? "object" : status.getDetails().getKind();
        String singular = "tracejobs".equals(kind) ? "tracejob" : kind;
        return singular + " '" + status.getDetails().getName() + "' not found (see 'kubectl gadget get')";
    }

    private static String invalid(Status status, String message) {
        if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null
                && !status.getDetails().getCauses().isEmpty()) {
            List<StatusCause> causes = status.getDetails().getCauses();
            return causes.stream().map(c -> (c.getField() == null ? "" : c.getField() + ": ") + c.getMessage())
                    .collect(Collectors.joining("; "));
        }
        return message;
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof HttpConnectTimeoutException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return t.getMessage() == null || t.getMessage().isBlank() ? "connection refused" : t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }
}
