package dev.kgadget.cli.cluster;

import dev.kgadget.api.catalog.InvalidParameterException;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelSelectorsTest {
    @Test
    void everyKubectlFormBecomesLabelsOrExpressions() {
        LabelSelector s = LabelSelectors.parse("app=web, tier==front,env!=prod,zone in (a, b),team notin (x),canary,!legacy,example.com/role=db");
        assertThat(s.getMatchLabels()).isEqualTo(Map.of("app", "web", "tier", "front", "example.com/role", "db"));
        assertThat(s.getMatchExpressions()).containsExactly(
                new LabelSelectorRequirement("env", "NotIn", List.of("prod")),
                new LabelSelectorRequirement("zone", "In", List.of("a", "b")),
                new LabelSelectorRequirement("team", "NotIn", List.of("x")),
                new LabelSelectorRequirement("canary", "Exists", List.of()),
                new LabelSelectorRequirement("legacy", "DoesNotExist", List.of()));
        assertThat(LabelSelectors.format(s)).isEqualTo(
                "app=web,tier=front,example.com/role=db,env notin (prod),zone in (a,b),team notin (x),canary,!legacy");
    }

    @Test
    void emptySelectsEveryPod() {
        assertThat(LabelSelectors.parse(null).getMatchLabels()).isEmpty();
        assertThat(LabelSelectors.parse("  ").getMatchExpressions()).isEmpty();
        assertThat(LabelSelectors.format(LabelSelectors.parse(""))).isEqualTo("<all pods of the namespace>");
    }

    @Test
    void badSelectorsSayWhatIsWrong() {
        bad("app in (a,b", "unbalanced '('");
        bad("app)", "unbalanced ')'");
        bad("app=x,", "an empty requirement");
        bad("app=x y", "cannot read 'app=x y'");
        bad("app=x_", "'x_' is not a valid label value");
        bad("-app=x", "'-app' is not a valid label key");
        bad("app in ()", "has an empty value set");
        bad("app > 3", "cannot read 'app > 3'");
        bad("app=" + "v".repeat(64), "is not a valid label value");
    }

    private static void bad(String selector, String why) {
        assertThatThrownBy(() -> LabelSelectors.parse(selector)).isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("bad selector -l '" + selector + "': ").hasMessageContaining(why);
    }
}
