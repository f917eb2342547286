package dev.kgadget.api.crd;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Arrays;
import java.util.List;

/**
 * CRD generation only: makes a list property a list-map ({@code x-kubernetes-list-type: map},
 * {@code x-kubernetes-list-map-keys}), so server-side apply merges its items by key and each
 * field manager owns only its own items. The annotation's input is {@code "<property>:<key>[,<key>...]"}.
 * The keys must be required in the item schema (the API server rejects the CRD otherwise); this
 * fails the build when they are not. A key written {@code !key} is made required here instead, for
 * item types we do not own (fabric8's Condition: {@code "conditions:!type"}, as Kubernetes' own
 * condition lists are keyed). (The generator has no annotation for list types, and its
 * merge-patch customizer replaces nested property maps instead of merging them.)
 */
public final class ListMapKeys implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        int colon = input.indexOf(':');
        if (colon <= 0 || colon == input.length() - 1) {
            throw new IllegalArgumentException("expected '<property>:<key>[,<key>...]', got '" + input + "'");
        }
        String property = input.substring(0, colon);
        List<String> written = Arrays.stream(input.substring(colon + 1).split(",")).map(String::trim).toList();
        List<String> keys = written.stream().map(k -> k.startsWith("!") ? k.substring(1) : k).toList();
        JSONSchemaProps list = props.getProperties().get(property);
        if (list == null || !"array".equals(list.getType()) || list.getItems() == null
                || list.getItems().getSchema() == null) {
            throw new IllegalArgumentException("no list property '" + property + "' to make a list-map of");
        }
        JSONSchemaProps item = list.getItems().getSchema();
        for (String k : written) {
            if (k.startsWith("!")) {
                List<String> req = item.getRequired() == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(item.getRequired());
                if (!req.contains(k.substring(1))) {
                    req.add(k.substring(1));
                }
                item.setRequired(req);
            }
        }
        List<String> required = item.getRequired();
        for (String key : keys) {
            if (required == null || !required.contains(key)) {
                throw new IllegalArgumentException("list-map key '" + key + "' of '" + property
                        + "' must be required in its items (@Required)");
            }
        }
        list.setXKubernetesListType("map");
        list.setXKubernetesListMapKeys(keys);
        return props;
    }
}
