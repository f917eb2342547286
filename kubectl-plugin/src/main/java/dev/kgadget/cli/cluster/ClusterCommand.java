package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.CliFailure;
import dev.kgadget.cli.Verbose;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** A {@code kubectl gadget} command that talks to the API server: kubeconfig options and error translation. */
abstract class ClusterCommand implements Callable<Integer>, Verbose {
    @Mixin
    KubeOptions kube = new KubeOptions();

    final CliEnvironment env;

    ClusterCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public boolean verbose() {
        return kube.verbose;
    }

    /** Client-side checks that need no cluster, run before the client exists. */
    void validate() {
    }

    abstract int execute(KubernetesClient client, String namespace) throws InterruptedException;

    /** What the command does, for messages: "create the TraceJob". */
    abstract String what();

    /** The message for a missing CRD of the resource this command works on. */
    String crdMissing() {
        return KubeErrors.CRD_MISSING;
    }

    @Override
    public final Integer call() throws InterruptedException {
        validate();
        Config config = kube.config();
        try (KubernetesClient client = kube.client(config)) {
            return execute(client, config.getNamespace());
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(e, config.getMasterUrl(), what(), crdMissing());
        }
    }

    static TraceJob require(KubernetesClient client, String namespace, String name) {
        TraceJob job = client.resources(TraceJob.class).inNamespace(namespace).withName(name).get();
        if (job == null) {
            // a GET answers 404 both for a missing job and a missing CRD: a list tells them apart
            try {
                client.resources(TraceJob.class).inNamespace(namespace).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw new CliFailure(ExitCodes.CANNOT_RUN, KubeErrors.CRD_MISSING, e);
                }
            }
            throw new CliFailure(ExitCodes.BAD_INPUT, "tracejob '" + name + "' not found in namespace " + namespace
                    + " (see 'kubectl gadget get')");
        }
        return job;
    }
}
