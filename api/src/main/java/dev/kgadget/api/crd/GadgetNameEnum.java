package dev.kgadget.api.crd;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * CRD generation only: turns the string property named by the annotation's input into an enum
 * of {@link GadgetCatalog}'s names, in catalog order, so the schema can never drift from the
 * catalog.
 */
public final class GadgetNameEnum implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String property, KubernetesSerialization serialization) {
        JSONSchemaProps target = props.getProperties().get(property);
        if (target == null) {
            throw new IllegalArgumentException("no property '" + property + "' to make a gadget enum of");
        }
        target.setEnum(GadgetCatalog.all().stream()
                .map(GadgetDescriptor::name)
                .<JsonNode>map(TextNode::valueOf)
                .toList());
        return props;
    }
}
