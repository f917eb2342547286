package dev.kgadget.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The customizers fail the build rather than emit a CRD the API server would reject. */
class SchemaCustomizersTest {
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private static JSONSchemaProps objectWithList(boolean keyRequired) {
        JSONSchemaPropsBuilder item = new JSONSchemaPropsBuilder().withType("object")
                .addToProperties("node", new JSONSchemaPropsBuilder().withType("string").build());
        if (keyRequired) {
            item.withRequired("node");
        }
        return new JSONSchemaPropsBuilder().withType("object")
                .addToProperties("nodes", new JSONSchemaPropsBuilder().withType("array")
                        .withNewItems().withSchema(item.build()).endItems().build())
                .build();
    }

    @Test
    void listMapKeysMustBeRequired() {
        assertThatThrownBy(() -> new ListMapKeys().apply(objectWithList(false), "nodes:node", serialization))
                .hasMessageContaining("must be required");
        assertThatThrownBy(() -> new ListMapKeys().apply(objectWithList(true), "other:node", serialization))
                .hasMessageContaining("no list property 'other'");
        assertThatThrownBy(() -> new ListMapKeys().apply(objectWithList(true), "nodes", serialization))
                .hasMessageContaining("expected");
    }

    @Test
    void gadgetEnumNeedsItsProperty() {
        assertThatThrownBy(() -> new GadgetNameEnum().apply(objectWithList(true), "gadget", serialization))
                .hasMessageContaining("no property 'gadget'");
    }
}
