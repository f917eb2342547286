package dev.kgadget.operator;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PodSelectionTest {
    private static final String F = "spec.selector.podSelector";

    @Test
    void matchLabelsAndEveryExpressionMustHold() {
        LabelSelector s = new LabelSelectorBuilder().addToMatchLabels("app", "checkout")
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("web", "api").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                .addNewMatchExpression().withKey("zone").withOperator("NotIn").withValues("z9").endMatchExpression()
                .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
                .build();
        var p = PodSelection.compile(s, F);
        assertThat(p.test(Map.of("app", "checkout", "tier", "web", "team", "a"))).isTrue();
        assertThat(p.test(Map.of("app", "checkout", "tier", "api", "team", "a", "zone", "z1"))).isTrue();
        assertThat(p.test(Map.of("app", "checkout", "tier", "db", "team", "a"))).isFalse();
        assertThat(p.test(Map.of("app", "checkout", "tier", "web", "team", "a", "canary", "1"))).isFalse();
        assertThat(p.test(Map.of("app", "checkout", "tier", "web", "team", "a", "zone", "z9"))).isFalse();
        assertThat(p.test(Map.of("app", "checkout", "tier", "web"))).isFalse();
        assertThat(p.test(Map.of("app", "cart", "tier", "web", "team", "a"))).isFalse();
        assertThat(p.test(null)).isFalse();
    }

    @Test
    void badSelectorsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> PodSelection.compile(null, F)).hasMessage(
                "spec.selector.podSelector is required: an empty selection never means \"every pod\"");
        assertThatThrownBy(() -> PodSelection.compile(new LabelSelector(), F)).hasMessageContaining("selects every pod");
        assertThatThrownBy(() -> PodSelection.compile(new LabelSelectorBuilder().addNewMatchExpression().withKey("a")
                .withOperator("Equals").withValues("x").endMatchExpression().build(), F))
                .hasMessage("spec.selector.podSelector.matchExpressions[0].operator 'Equals' is not one of In, NotIn, Exists, DoesNotExist");
        assertThatThrownBy(() -> PodSelection.compile(new LabelSelectorBuilder().addNewMatchExpression().withKey("a")
                .withOperator("In").endMatchExpression().build(), F))
                .hasMessage("spec.selector.podSelector.matchExpressions[0].values must not be empty for operator In");
        assertThatThrownBy(() -> PodSelection.compile(new LabelSelectorBuilder().addToMatchLabels("x", "y")
                .addNewMatchExpression().withOperator("Exists").endMatchExpression().build(), F))
                .hasMessage("spec.selector.podSelector.matchExpressions[0].key is required");
    }
}
