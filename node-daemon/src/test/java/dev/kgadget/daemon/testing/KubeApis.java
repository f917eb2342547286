package dev.kgadget.daemon.testing;

import dev.kgadget.daemon.status.KubeApi;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.SSLUtils;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

/**
 * A daemon's {@link KubeApi} for the credentials of a test's fabric8 client: the same server,
 * CA, client certificate or token, and impersonation (the chart's ServiceAccounts).
 */
public final class KubeApis {
    private KubeApis() {
    }

    public static KubeApi of(KubernetesClient client) {
        return of(client.getConfiguration());
    }

    public static KubeApi of(Config c) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(SSLUtils.keyManagers(c), SSLUtils.trustManagers(c), null);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (c.getImpersonateUsername() != null) {
                headers.put("Impersonate-User", List.of(c.getImpersonateUsername()));
            }
            if (c.getImpersonateGroups() != null && c.getImpersonateGroups().length > 0) {
                headers.put("Impersonate-Group", List.of(c.getImpersonateGroups()));
            }
            return new KubeApi(URI.create(c.getMasterUrl()), tls, c::getAutoOAuthToken, headers);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a KubeApi for " + c.getMasterUrl(), e);
        }
    }
}
