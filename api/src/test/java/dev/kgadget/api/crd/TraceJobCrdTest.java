package dev.kgadget.api.crd;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The generated TraceJob CRD says what the rest of kgadget assumes. */
class TraceJobCrdTest {
    private static CustomResourceDefinition crd;
    private static CustomResourceDefinitionVersion version;

    @BeforeAll
    static void load() {
        crd = CrdFiles.generated(TraceJob.CRD_NAME);
        version = crd.getSpec().getVersions().get(0);
    }

    private static JSONSchemaProps spec() {
        return version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    private static JSONSchemaProps status() {
        return version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    }

    private static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }

    @Test
    void namesScopeVersionAndStatusSubresource() {
        assertThat(crd.getMetadata().getName()).isEqualTo(TraceJob.CRD_NAME)
                .isEqualTo(HasMetadata.getFullResourceName(TraceJob.class));
        assertThat(crd.getSpec().getGroup()).isEqualTo("kgadget.dev");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("TraceJob");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("tracejobs");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("tj");
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        assertThat(version.getName()).isEqualTo("v1alpha1");
        assertThat(version.getServed()).isTrue();
        assertThat(version.getStorage()).isTrue();
        assertThat(version.getSubresources().getStatus()).isNotNull();
    }

    @Test
    void printerColumns() {
        Map<String, String> paths = version.getAdditionalPrinterColumns().stream()
                .collect(Collectors.toMap(CustomResourceColumnDefinition::getName,
                        CustomResourceColumnDefinition::getJsonPath));
        assertThat(paths).containsOnly(
                entry("Gadget", ".spec.gadget"),
                entry("Phase", ".status.phase"),
                entry("Nodes", ".status.progress"),
                entry("Age", ".metadata.creationTimestamp"));
        assertThat(version.getAdditionalPrinterColumns())
                .filteredOn(c -> c.getName().equals("Age"))
                .extracting(CustomResourceColumnDefinition::getType).containsExactly("date");
    }

    @Test
    void gadgetEnumIsTheCatalog() {
        JSONSchemaProps gadget = spec().getProperties().get("gadget");
        assertThat(gadget.getType()).isEqualTo("string");
        assertThat(texts(gadget.getEnum()))
                .isEqualTo(GadgetCatalog.all().stream().map(GadgetDescriptor::name).toList());
        assertThat(spec().getRequired()).containsExactlyInAnyOrder("gadget", "selector");
        assertThat(spec().getProperties().get("selector").getRequired()).containsExactly("podSelector");
    }

    @Test
    void durationDefaultIsTraceDurationDefault() {
        JSONSchemaProps duration = spec().getProperties().get("duration");
        assertThat(duration.getDefault().asText())
                .isEqualTo(TraceJobSpec.DEFAULT_DURATION)
                .isEqualTo(TraceDuration.format(TraceDuration.DEFAULT))
                .isEqualTo(new TraceJobSpec().getDuration());
        assertThat(new TraceJobSpec().traceDuration()).isEqualTo(TraceDuration.DEFAULT);
    }

    @Test
    void durationCelBoundsAreTraceDurationMinAndMax() {
        JSONSchemaProps duration = spec().getProperties().get("duration");
        assertThat(duration.getXKubernetesValidations()).hasSize(1);
        ValidationRule rule = duration.getXKubernetesValidations().get(0);
        assertThat(rule.getRule()).isEqualTo(TraceJobSpec.DURATION_RULE).isEqualTo(
                "duration(self) >= duration('" + TraceDuration.format(TraceDuration.MIN) + "')"
                        + " && duration(self) <= duration('" + TraceDuration.format(TraceDuration.MAX) + "')");
        assertThat(TraceDuration.parse("100ms")).isEqualTo(TraceDuration.MIN);
        assertThat(TraceDuration.parse("1h")).isEqualTo(TraceDuration.MAX);
        assertThat(rule.getMessage()).isEqualTo(TraceJobSpec.DURATION_RULE_MESSAGE)
                .contains(TraceDuration.format(TraceDuration.MIN), TraceDuration.format(TraceDuration.MAX));
    }

    @Test
    void durationPatternAcceptsWhatTraceDurationParses() {
        JSONSchemaProps duration = spec().getProperties().get("duration");
        assertThat(duration.getPattern()).isEqualTo(TraceJobSpec.DURATION_PATTERN);
        assertThat(duration.getMaxLength()).isEqualTo(32L);
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(duration.getPattern());
        for (String ok : List.of("100ms", "10s", "2m", "1m30s", "1h", "59m59s999ms", "3600s")) {
            assertThat(pattern.matcher(ok).matches()).as(ok).isTrue();
            TraceDuration.parse(ok);
        }
        for (String bad : List.of("", "10", "s", "-1s", "1.5s", "10S", "1d", "10 s")) {
            assertThat(pattern.matcher(bad).matches()).as(bad).isFalse();
            assertThatThrownBy(() -> TraceDuration.parse(bad)).as(bad).isInstanceOf(InvalidParameterException.class);
        }
    }

    @Test
    void maxEventsDefaultAndBounds() {
        JSONSchemaProps output = spec().getProperties().get("output");
        JSONSchemaProps maxEvents = output.getProperties().get("maxEvents");
        assertThat(maxEvents.getType()).isEqualTo("integer");
        assertThat(maxEvents.getDefault().asInt()).isEqualTo(TraceJobOutput.DEFAULT_MAX_EVENTS)
                .isEqualTo(new TraceJobOutput().getMaxEvents()).isEqualTo(1000);
        assertThat(maxEvents.getMinimum()).isEqualTo(0.0);
        assertThat(maxEvents.getMaximum()).isEqualTo(100_000.0);
        // an omitted output block still gets maxEvents: its own default is {maxEvents: 1000}
        assertThat(output.getDefault().get("maxEvents").asInt()).isEqualTo(1000);
        assertThat(new TraceJobSpec().maxEventsOrDefault()).isEqualTo(1000);
    }

    @Test
    void statusNodesIsAListMapKeyedByNode() {
        JSONSchemaProps nodes = status().getProperties().get("nodes");
        assertThat(nodes.getType()).isEqualTo("array");
        assertThat(nodes.getXKubernetesListType()).isEqualTo("map");
        assertThat(nodes.getXKubernetesListMapKeys()).containsExactly("node");
        assertThat(nodes.getItems().getSchema().getRequired()).contains("node");
    }

    @Test
    void phaseEnumsAreTheJavaEnums() {
        assertThat(texts(status().getProperties().get("phase").getEnum())).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(TraceJobPhase.values()).map(Enum::name).toList());
        assertThat(texts(status().getProperties().get("nodes").getItems().getSchema().getProperties().get("phase")
                .getEnum())).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(NodeTracePhase.values()).map(Enum::name).toList());
    }
}
