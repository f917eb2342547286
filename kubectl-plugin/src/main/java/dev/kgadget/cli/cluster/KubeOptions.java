package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.cli.CliFailure;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import picocli.CommandLine.Option;

import java.io.File;

/**
 * kubectl's habits: {@code --kubeconfig}, {@code --context}, {@code -n/--namespace}, and the
 * current context's namespace when none is given (fabric8's Config reads KUBECONFIG and
 * ~/.kube/config like kubectl does).
 */
public final class KubeOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
    String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "the kubeconfig context (default: its current one)")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "the namespace (default: the context's namespace, else 'default')")
    String namespace;

    @Option(names = {"-v", "--verbose"}, description = "on errors, print the stack trace too")
    boolean verbose;

    /** The resolved configuration; fails with exit code 3 when no kubeconfig can be read. */
    Config config() {
        Config config;
        try {
            if (kubeconfig != null) {
                File f = new File(kubeconfig);
                if (!f.isFile()) {
                    throw new CliFailure(ExitCodes.BAD_INPUT, "--kubeconfig " + kubeconfig + ": no such file");
                }
                config = Config.fromKubeconfig(context, f);
            } else {
                config = Config.autoConfigure(context);
            }
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.CANNOT_RUN, "cannot use the kubeconfig"
                    + (context == null ? "" : " context '" + context + "'") + ": " + e.getMessage(), e);
        }
        if (namespace != null) {
            config.setNamespace(namespace);
        } else if (config.getNamespace() == null) {
            config.setNamespace("default");
        }
        // a CLI must fail fast when the cluster is away, not retry for a minute
        config.setRequestRetryBackoffLimit(1);
        config.setConnectionTimeout(5_000);
        return config;
    }

    KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
